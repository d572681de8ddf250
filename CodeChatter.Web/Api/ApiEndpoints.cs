using System.Globalization;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Api;

/// <summary>
/// The JSON API (contract in DESIGN.md). Bearer tokens only; every id goes through <see cref="OwnershipQueries"/>,
/// so someone else's id is a 404 like an id that does not exist. Runs go through the same
/// <see cref="RunService"/> as the pages, so they show up in the person's conversations and the admin pages.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The API's authorization: the bearer scheme only, never the sign-in cookie.</summary>
    public const string PolicyName = "Api";

    /// <summary>The rate-limiter policy of the API.</summary>
    public const string RateLimitPolicy = "api";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps every <c>/api</c> endpoint.</summary>
    public static IEndpointRouteBuilder MapCodeChatterApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api")
            .RequireAuthorization(PolicyName)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithTags("CodeChatter")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/runs", SubmitRunAsync)
            .Accepts<RunRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Runs a snippet in a new conversation or at the end of one of yours.");
        api.MapGet("/runs/{id:long}", GetRunAsync).WithSummary("One of your runs.");
        api.MapGet("/conversations", ListConversationsAsync).WithSummary("Your conversations, most recently active first.");
        api.MapGet("/conversations/{id:long}", GetConversationAsync).WithSummary("One of your conversations with every message and run.");
        api.MapPost("/conversations/{id:long}/rerun", RerunConversationAsync)
            .WithSummary("Re-runs every code snippet of one of your conversations, in order.");
        api.MapGet("/languages", ListLanguages).WithSummary("The languages this instance can run.");
        return endpoints;
    }

    private static async Task<Results<Ok<RunResponse>, ValidationProblem, ProblemHttpResult>> SubmitRunAsync(
        HttpRequest request, RunService runs, CancellationToken cancellationToken)
    {
        RunRequest? body;
        try
        {
            // Read by hand rather than bound, so malformed JSON is a 400 naming the field, never a 500.
            body = await request.ReadFromJsonAsync<RunRequest>(Json, cancellationToken);
        }
        catch (JsonException exception)
        {
            // A wrong type names its field ($.language); broken syntax names only the body.
            var field = exception.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
            var where = $"(line {exception.LineNumber + 1}, byte {exception.BytePositionInLine})";
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    [field] = [field == "body" ? $"The request body is not valid JSON {where}." : $"'{field}' has the wrong type {where}."],
                },
                detail: "The request body could not be read as a run.");
        }
        catch (InvalidOperationException)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Send the run as JSON with Content-Type: application/json."] },
                detail: "The request body could not be read.");
        }
        if (body is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Send a JSON object: {\"language\": \"python\", \"code\": \"print(1)\"}."] });
        }

        var problems = runs.Validate(SnippetKind.Code, body.Language, body.Code, body.Stdin);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(
                problems.ToDictionary(p => p.Key == "Text" ? "code" : p.Key.ToLowerInvariant(), p => new[] { p.Value }),
                detail: string.Join(" ", problems.Values));
        }

        var outcome = await runs.SubmitAsync(new NewMessage(
            request.HttpContext.User.UserId(), body.ConversationId, SnippetKind.Code, body.Language!, body.Code!, body.Stdin ?? "",
            ExecutionTrigger.Api), cancellationToken);
        if (outcome is null) return ConversationNotFound(body.ConversationId);

        var result = outcome.Result!;
        var run = RunResponse.From(outcome.Stored.ExecutionId!.Value, outcome.Stored.ConversationId, outcome.Stored.SnippetId,
            body.Language!.ToLowerInvariant(), ExecutionTrigger.Api, result);
        if (result.RetryAfter is { } retryAfter) return TooManyRequests(request.HttpContext, result.Detail, retryAfter, run);
        return TypedResults.Ok(run);
    }

    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> GetRunAsync(
        long id, HttpContext context, ChatDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Executions.OwnedBy(context.User.UserId()).AsNoTracking()
            .Where(e => e.Id == id)
            .Select(e => new { Execution = e, e.Snippet!.ConversationId, e.Snippet.Language })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null
            ? NotFound($"You have no run {id}.")
            : TypedResults.Ok(RunResponse.From(found.Execution, found.ConversationId, found.Language));
    }

    private static async Task<Ok<List<ConversationSummary>>> ListConversationsAsync(
        HttpContext context, ChatDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Conversations.OwnedBy(context.User.UserId()).AsNoTracking()
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Select(c => new ConversationSummary(c.Id, c.Title, c.DefaultLanguage, c.CreatedAt, c.UpdatedAt))
            .ToListAsync(cancellationToken));

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetConversationAsync(
        long id, HttpContext context, ChatDbContext db, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.OwnedBy(context.User.UserId()).AsNoTracking()
            .Include(c => c.Snippets).ThenInclude(s => s.Executions)
            .AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null) return ConversationNotFound(id);
        return TypedResults.Ok(new ConversationResponse(
            conversation.Id, conversation.Title, conversation.DefaultLanguage, conversation.CreatedAt, conversation.UpdatedAt,
            conversation.Snippets.OrderBy(s => s.Sequence).Select(s => new SnippetResponse(
                s.Id, s.Sequence, s.Kind == SnippetKind.Code ? "code" : "note", s.Language, s.Code, s.Stdin, s.CreatedAt,
                s.Executions.OrderBy(e => e.Id).Select(e => RunResponse.From(e, conversation.Id, s.Language)).ToList())).ToList()));
    }

    private static async Task<Results<Ok<List<RunResponse>>, ProblemHttpResult>> RerunConversationAsync(
        long id, HttpContext context, RunService runs, ChatDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var outcomes = await runs.RerunConversationAsync(userId, id, cancellationToken);
        if (outcomes is null) return ConversationNotFound(id);
        var languages = await db.Snippets.OwnedBy(userId).AsNoTracking()
            .Where(s => s.ConversationId == id)
            .ToDictionaryAsync(s => s.Id, s => s.Language, cancellationToken);
        var results = outcomes.Select(o => RunResponse.From(
                o.ExecutionId, o.ConversationId, o.SnippetId, languages.GetValueOrDefault(o.SnippetId, ""), ExecutionTrigger.ConversationRerun, o.Result)
            with { Changed = o.Changed }).ToList();
        if (outcomes.FirstOrDefault(o => o.Result.RetryAfter is not null) is { } refused)
        {
            return TooManyRequests(context, refused.Result.Detail, refused.Result.RetryAfter!.Value, results);
        }
        return TypedResults.Ok(results);
    }

    private static Ok<List<LanguageResponse>> ListLanguages(LanguageCatalog languages) =>
        TypedResults.Ok(languages.Available
            .Select(l => new LanguageResponse(l.Id, l.Definition.DisplayName, l.Definition.EditorMode))
            .ToList());

    private static ProblemHttpResult ConversationNotFound(long? id) => NotFound($"You have no conversation {id}.");

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>A run refused by admission: 429 with when to come back, and the stored rejected run(s).</summary>
    private static ProblemHttpResult TooManyRequests(HttpContext context, string? detail, TimeSpan retryAfter, object runs)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return TypedResults.Problem(
            detail, statusCode: StatusCodes.Status429TooManyRequests, title: "The run was refused",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = Math.Ceiling(retryAfter.TotalSeconds), ["runs"] = runs });
    }

    /// <summary>Whole seconds, rounded up (a Retry-After of 0 would invite an immediate retry).</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
