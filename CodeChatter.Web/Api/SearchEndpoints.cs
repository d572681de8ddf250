using CodeChatter.Core.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodeChatter.Web.Api;

/// <summary>
/// <c>GET /api/search</c>: the search page's results as JSON, for the token's owner only (the admin's search of
/// everyone's is a page, not an API).
/// </summary>
public static class SearchEndpoints
{
    /// <summary>Maps the search endpoint into the API's group (bearer tokens, rate limit, ProblemDetails).</summary>
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/search", SearchAsync)
            .ProducesValidationProblem()
            .WithSummary("Searches your code, notes, input, output and conversation titles: words, \"phrases\", prefix*, -exclusions; newest first or order=rank.");
        return api;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> SearchAsync(
        HttpContext context, SearchService search, CancellationToken cancellationToken,
        string? q = null, string? language = null, string? status = null, DateOnly? from = null, DateOnly? to = null,
        int page = 1, string? order = null)
    {
        var results = await search.SearchOwnAsync(
            context.User.UserId(), new SearchRequest(q, language, status, from, to, page, SearchOrderNames.Parse(order)), cancellationToken);
        return results.Outcome switch
        {
            SearchOutcome.NoQuery => Problem("Give 'q': the words to look for.", "Nothing to search for."),
            SearchOutcome.NotUnderstood => Problem(SearchResults.NotUnderstoodMessage, "The query could not be understood."),
            _ => TypedResults.Ok(SearchResponse.From(q ?? "", results)),
        };
    }

    private static ValidationProblem Problem(string message, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [message] }, detail: detail);
}

/// <summary>A page of search hits.</summary>
/// <param name="Query">The query as given.</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PageSize">Hits per page.</param>
/// <param name="TotalItems">Hits on every page together (counted up to a limit: see <paramref name="MoreThanCounted"/>).</param>
/// <param name="MoreThanCounted">Whether counting stopped at the limit: only the newest <paramref name="TotalItems"/> hits are listed (and ranked).</param>
/// <param name="Hits">This page's hits.</param>
public sealed record SearchResponse(string Query, int Page, int PageSize, int TotalItems, bool MoreThanCounted, IReadOnlyList<SearchHitResponse> Hits)
{
    public static SearchResponse From(string query, SearchResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var hits = results.Hits;
        return new(query, hits.PageNumber, hits.PageSize, hits.TotalItems, results.MoreThanCounted, hits.Items.Select(SearchHitResponse.From).ToList());
    }
}

/// <summary>One hit: a reply (executionId set) or a note.</summary>
/// <param name="ExcerptParts">The excerpt in pieces, each marked whether it matched (encode before showing).</param>
public sealed record SearchHitResponse(
    long? ExecutionId, long SnippetId, long ConversationId, string ConversationTitle, string Kind, string Language, string? Status,
    DateTime At, string ExcerptFrom, string Excerpt, IReadOnlyList<HighlightedPart> ExcerptParts)
{
    public static SearchHitResponse From(SearchHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new(hit.ExecutionId, hit.SnippetId, hit.ConversationId, hit.ConversationTitle,
            hit.Kind == Core.Chat.SnippetKind.Note ? "note" : "code", hit.Language, hit.Status, hit.At, hit.ExcerptFrom,
            hit.Excerpt.PlainText, hit.Excerpt.Parts);
    }
}
