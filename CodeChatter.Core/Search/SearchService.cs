using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Search;

/// <summary>
/// Full-text search over what people have run. A person only ever searches their own conversations; the
/// admin's search of everyone's is a separate method, so no caller can widen a person's search by mistake.
/// </summary>
public sealed class SearchService(ISearchQueries queries)
{
    /// <summary>Hits per page.</summary>
    public const int PageSize = 20;

    /// <summary>Hits counted (and ranked, for best match first) at most: the newest this many.</summary>
    public const int CountLimit = 1000;

    /// <summary>Searches one person's code, notes, input, output and conversation titles.</summary>
    public Task<SearchResults> SearchOwnAsync(string userId, SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return SearchAsync(userId, request, cancellationToken);
    }

    /// <summary>Searches everyone's (the admin area); each hit says whose it is.</summary>
    public Task<SearchResults> SearchEveryonesAsync(SearchRequest request, CancellationToken cancellationToken = default) =>
        SearchAsync(null, request, cancellationToken);

    private async Task<SearchResults> SearchAsync(string? ownerId, SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var languages = await queries.LanguagesAsync(ownerId, cancellationToken);
        var terms = SearchTerms.Parse(request.Query);
        if (terms.IsEmpty) return Nothing(SearchOutcome.NoQuery, languages);
        // Exclusions narrow a search; on their own they would list everything but a word.
        if (terms.Included.Count == 0) return Nothing(SearchOutcome.NotUnderstood, languages);
        try
        {
            var hits = await queries.SearchAsync(new SearchCriteria(terms, ownerId, request, PageSize, CountLimit), cancellationToken);
            return new SearchResults(SearchOutcome.Found, hits, languages);
        }
        catch (SearchQueryNotUnderstoodException)
        {
            return Nothing(SearchOutcome.NotUnderstood, languages);
        }
    }

    private static SearchResults Nothing(SearchOutcome outcome, IReadOnlyList<string> languages) =>
        new(outcome, new PagedList<SearchHit>([], 1, PageSize, 0), languages);
}
