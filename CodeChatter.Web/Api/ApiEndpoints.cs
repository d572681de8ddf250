using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Observability;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Api;

/// <summary>
/// The JSON API (contract in DESIGN.md). Bearer tokens only; every id goes through Core's queries, which find only the caller's own,
/// so someone else's id is a 404 like an id that does not exist. Runs go through the same
/// <see cref="RunService"/> as the pages, so they show up in the person's conversations and the admin pages.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The API's authorization: the bearer scheme only, never the sign-in cookie.</summary>
    public const string PolicyName = "Api";

    /// <summary>The rate-limiter policy of the API.</summary>
    public const string RateLimitPolicy = "api";

    private static readonly JsonSerializerOptions Json = WireJson.CreateOptions();

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
        api.MapGet("/runs/{id:long}/output/{stream}", GetWholeOutputAsync)
            .WithSummary("Everything stored of a run's stdout or stderr, as text (the run object shows its start; stdoutMoreStored says when there is more).");
        api.MapGet("/runs/{id:long}/outputs/{outputId:long}", GetOutputAsync)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", FileDownload.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One image or file of a run of yours (an item of the run's outputs with a url): an image as image/png, a file as an application/octet-stream attachment.");
        api.MapGet("/conversations", ListConversationsAsync).WithSummary("Your conversations, most recently active first.");
        api.MapGet("/conversations/{id:long}", GetConversationAsync).WithSummary("One of your conversations with every message and run.");
        api.MapPost("/conversations/{id:long}/rerun", RerunConversationAsync)
            .WithSummary("Re-runs every code snippet of one of your conversations, in order (in a session conversation, in a new session).");
        api.MapPost("/conversations/{id:long}/session/restart", RestartSessionAsync)
            .WithSummary("Ends the live sessions of one of your conversations: its next message starts from nothing.");
        api.MapPut("/conversations/{id:long}/mode", SetModeAsync)
            .Accepts<ModeRequest>("application/json")
            .ProducesValidationProblem()
            .WithSummary("Sets how one of your conversations runs its snippets: session or fresh (a change ends its live sessions).");
        api.MapGet("/conversations/{id:long}/attachments", ListAttachmentsAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The files attached to one of your conversations: every message finds them as inputs/{name}.");
        api.MapPost("/conversations/{id:long}/attachments", AttachAsync)
            .Accepts<AttachmentUpload>("multipart/form-data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Attaches a file (multipart field 'file') to one of your conversations, replacing one of the same name; 400 with the reason when refused (too large, too many, over your storage quota).");
        api.MapGet("/conversations/{id:long}/attachments/{attachmentId:long}", DownloadAttachmentAsync)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), FileDownload.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One attachment's bytes, as an application/octet-stream attachment.");
        api.MapDelete("/conversations/{id:long}/attachments/{attachmentId:long}", RemoveAttachmentAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Removes one attachment: messages from now on no longer find it.");
        api.MapGet("/languages", ListLanguages).WithSummary("The languages this instance can run.");
        api.MapSearchApi();
        api.MapShareEndpoints();
        api.MapNotebookEndpoints();
        return endpoints;
    }

    private static async Task<Results<Ok<RunView>, ValidationProblem, ProblemHttpResult>> SubmitRunAsync(
        HttpRequest request, RunService runService, IRunQueries runs, CodeChatterMetrics metrics, CancellationToken cancellationToken)
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
        ConversationMode? mode = null;
        if (body.Mode is not null)
        {
            if (!ConversationModes.TryParse(body.Mode, out var parsed)) return ModeProblem(body.Mode);
            mode = parsed;
        }

        var problems = runService.Validate(SnippetKind.Code, body.Language, body.Code, body.Stdin);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(
                problems.ToDictionary(p => p.Key == "Text" ? "code" : p.Key.ToLowerInvariant(), p => new[] { p.Value }),
                detail: string.Join(" ", problems.Values));
        }

        var userId = request.HttpContext.User.UserId();
        var outcome = await runService.SubmitAsync(new NewMessage(
            userId, body.ConversationId, SnippetKind.Code, body.Language!, body.Code!, body.Stdin ?? "",
            ExecutionTrigger.Api) { Mode = mode }, cancellationToken);
        if (outcome is null) return ConversationNotFound(body.ConversationId);

        var result = outcome.Result!;
        var executionId = outcome.Stored.ExecutionId!.Value;
        // The run as stored, so this answer and GET /api/runs/{id} are the same object.
        RunView run;
        try
        {
            var reading = Stopwatch.GetTimestamp();
            run = (await runs.StoredOrAnsweredAsync(userId, executionId, result, cancellationToken)).ForApi();
            metrics.PhaseTook(RunPhases.ReadBack, reading);
        }
        catch (System.Data.Common.DbException)
        {
            // The database cannot even be read (its disk is full): the snippet ran, so answer with its result,
            // which is stored as soon as the database takes it again (see UnstoredRunResults).
            run = RunView.FromResult(executionId, outcome.Stored.ConversationId, outcome.Stored.SnippetId,
                body.Language!.ToLowerInvariant(), ExecutionTrigger.Api, result).ForApi();
        }
        if (result.RetryAfter is { } retryAfter) return TooManyRequests(request.HttpContext, result.Detail, retryAfter, run);
        return TypedResults.Ok(run);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRunAsync(
        long id, HttpContext context, IRunQueries runs, CancellationToken cancellationToken) =>
        await runs.FindAsync(context.User.UserId(), id, cancellationToken) is { } run
            ? TypedResults.Ok(run.ForApi())
            : NotFound($"You have no run {id}.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOutputAsync(
        long id, long outputId, HttpContext context, IRunQueries runs, CancellationToken cancellationToken)
    {
        var output = await runs.FindOutputAsync(context.User.UserId(), outputId, cancellationToken);
        // Only images and files have an address in the API: a text item's content is in the run object itself.
        if (output is null || output.ExecutionId != id || output.MediaType is not (RichMediaTypes.Png or RichMediaTypes.File))
        {
            return NotFound($"You have no image or file {outputId} in run {id}.");
        }
        if (output.MediaType == RichMediaTypes.File)
        {
            FileDownload.AddHeaders(context.Response, StoredOutputFile.FileName(output));
            return TypedResults.File(output.Content, FileDownload.ContentType);
        }
        StoredOutputFile.AddHeaders(context.Response);
        return TypedResults.File(output.Content, StoredOutputFile.ContentType(output));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetWholeOutputAsync(
        long id, string stream, HttpContext context, IRunQueries runs, CancellationToken cancellationToken)
    {
        OutputStream? which = stream switch { "stdout" => OutputStream.Stdout, "stderr" => OutputStream.Stderr, _ => null };
        var userId = context.User.UserId();
        if (which is null || await runs.FindAsync(userId, id, cancellationToken) is not { } run) return NotFound($"You have no run {id} with output '{stream}'.");
        var text = await runs.FindWholeOutputAsync(userId, run.ConversationId, id, which.Value, cancellationToken);
        return text is null
            ? NotFound($"You have no run {id}.")
            : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"run-{id}-{stream}.txt");
    }

    private static async Task<Ok<List<ConversationListItem>>> ListConversationsAsync(
        HttpContext context, IConversationQueries conversations, CancellationToken cancellationToken) =>
        TypedResults.Ok((await conversations.ListAllAsync(context.User.UserId(), cancellationToken)).Select(ConversationListItem.From).ToList());

    private static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetConversationAsync(
        long id, HttpContext context, IConversationQueries conversations, CancellationToken cancellationToken) =>
        await conversations.FindOwnedAsync(context.User.UserId(), id, cancellationToken) is { } conversation
            ? TypedResults.Ok(ConversationResponse.From(conversation))
            : ConversationNotFound(id);

    private static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> RerunConversationAsync(
        long id, HttpContext context, RunService runService, IRunQueries runs, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var outcomes = await runService.RerunConversationAsync(userId, id, cancellationToken);
        if (outcomes is null) return ConversationNotFound(id);
        var results = new List<RunView>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            var run = await runs.StoredOrAnsweredAsync(userId, outcome.ExecutionId, outcome.Result, cancellationToken);
            results.Add(run.ForApi() with { Changed = outcome.Changed });
        }
        if (outcomes.FirstOrDefault(o => o.Result.RetryAfter is not null) is { } refused)
        {
            return TooManyRequests(context, refused.Result.Detail, refused.Result.RetryAfter!.Value, results);
        }
        return TypedResults.Ok(results);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RestartSessionAsync(
        long id, HttpContext context, SessionService sessions, CancellationToken cancellationToken) =>
        await sessions.RestartAsync(context.User.UserId(), id, cancellationToken) is null
            ? ConversationNotFound(id)
            : TypedResults.NoContent();

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetModeAsync(
        long id, HttpRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        ModeRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<ModeRequest>(Json, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Send JSON with Content-Type: application/json: {\"mode\": \"session\"} or {\"mode\": \"fresh\"}."] },
                detail: "The request body could not be read.");
        }
        if (!ConversationModes.TryParse(body?.Mode, out var mode)) return ModeProblem(body?.Mode);
        return await sessions.SetModeAsync(request.HttpContext.User.UserId(), id, mode, cancellationToken)
            ? TypedResults.NoContent()
            : ConversationNotFound(id);
    }

    private static ValidationProblem ModeProblem(string? given) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["mode"] = [$"'mode' must be \"session\" or \"fresh\"{(given is null ? "" : $", not \"{given}\"")}."] },
        detail: "Unknown conversation mode.");

    private static async Task<Results<Ok<List<AttachmentResponse>>, ProblemHttpResult>> ListAttachmentsAsync(
        long id, HttpContext context, AttachmentService attachments, CancellationToken cancellationToken) =>
        await attachments.ListAsync(context.User.UserId(), id, cancellationToken) is { } listed
            ? TypedResults.Ok(listed.Select(AttachmentResponse.From).ToList())
            : ConversationNotFound(id);

    private static async Task<Results<Created<AttachmentResponse>, ValidationProblem, ProblemHttpResult>> AttachAsync(
        long id, HttpContext context, AttachmentService attachments, IOptions<AttachmentOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!await AttachmentUploads.TryReadFormAsync(context, limits))
        {
            return TypedResults.Problem(AttachmentUploads.TooLarge(limits), statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file was not attached");
        }
        var file = context.Request.HasFormContentType ? context.Request.Form.Files.GetFile("file") : null;
        if (file is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["file"] = ["Send the file as multipart/form-data in a field named 'file' (curl -F file=@data.csv)."] },
                detail: "The request has no file.");
        }
        await using var content = file.OpenReadStream();
        return await attachments.AttachAsync(context.User.UserId(), id, file.FileName, content, cancellationToken) switch
        {
            AttachOutcome.Attached(var attached, var replaced) =>
                TypedResults.Created(ApiRunOutputs.AttachmentUrl(id, attached.Id), AttachmentResponse.From(attached) with { Replaced = replaced }),
            AttachOutcome.Refused(var reason) =>
                TypedResults.Problem(reason, statusCode: StatusCodes.Status400BadRequest, title: "The file was not attached"),
            _ => ConversationNotFound(id),
        };
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAttachmentAsync(
        long id, long attachmentId, HttpContext context, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var attachment = await attachments.GetContentAsync(context.User.UserId(), id, attachmentId, cancellationToken);
        if (attachment is null || attachment.ConversationId != id) return NotFound($"You have no attachment {attachmentId} in conversation {id}.");
        FileDownload.AddHeaders(context.Response, attachment.Name);
        return TypedResults.File(attachment.Content, FileDownload.ContentType);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAttachmentAsync(
        long id, long attachmentId, HttpContext context, AttachmentService attachments, CancellationToken cancellationToken) =>
        await attachments.RemoveAsync(context.User.UserId(), id, attachmentId, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound($"You have no attachment {attachmentId} in conversation {id}.");

    private static Ok<List<LanguageResponse>> ListLanguages(LanguageCatalog languages, PackageInventory packages) =>
        TypedResults.Ok(languages.Available
            .Select(l => new LanguageResponse(l.Id, l.Definition.DisplayName, l.Definition.EditorMode,
                packages.PackagesOf(l.Id).Select(p => new PackageResponse(p.Name, p.Version)).ToList()))
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
