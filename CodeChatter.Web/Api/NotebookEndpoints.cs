using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Export;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CodeChatter.Web.Api;

/// <summary>
/// Export and import in the JSON API: a conversation of yours as a notebook, script or Markdown file, and a
/// notebook uploaded as a new conversation. Mapped inside the <c>/api</c> group, so bearer tokens only.
/// </summary>
public static class NotebookEndpoints
{
    /// <summary>The largest import request: the notebook limit plus room for the multipart framing.</summary>
    private const int MaxImportRequestBytes = NotebookReader.MaxBytes + 1024 * 1024;

    /// <summary>Maps <c>GET /conversations/{id}/export</c> and <c>POST /conversations/import</c> on the API's group.</summary>
    public static RouteGroupBuilder MapNotebookEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/conversations/{id:long}/export", ExportAsync)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), ConversationExporter.NotebookMediaType, "text/x-python", "text/javascript", "text/x-shellscript", "text/x-csrc", "text/markdown")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One of your conversations as a download: format=ipynb (Jupyter notebook with the latest outputs), py (a script in its language, whatever that is) or md (Markdown).");
        api.MapPost("/conversations/import", ImportAsync)
            .Accepts<ImportRequest>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportRequestBytes))
            .WithFormOptions(multipartBodyLengthLimit: MaxImportRequestBytes)
            .ProducesValidationProblem()
            .WithSummary("Imports a Jupyter notebook (.ipynb, nbformat 4, at most 5 MiB, multipart field 'file') as a new conversation; nothing runs.");
        return api;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        long id, string? format, HttpContext context, ConversationExporter exporter, CancellationToken cancellationToken)
    {
        if (!ExportFormats.TryParse(format, out var chosen))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = ["'format' must be ipynb, py or md."] },
                detail: "Unknown export format.");
        }
        var file = await exporter.ExportAsync(context.User.UserId(), id, chosen, ExportDownloads.SanitizeHtml, cancellationToken);
        if (file is null) return TypedResults.Problem($"You have no conversation {id}.", statusCode: StatusCodes.Status404NotFound);
        ExportDownloads.AddHeaders(context.Response);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<Results<Created<ConversationResponse>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, NotebookImporter importer, IConversationQueries conversations, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType) return FileProblem("Send the notebook as multipart/form-data in a field named 'file'.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return FileProblem($"The upload is larger than a notebook can be ({NotebookReader.MaxBytes / (1024 * 1024)} MiB) or is not well-formed multipart.");
        }
        catch (BadHttpRequestException exception)
        {
            return FileProblem($"The upload could not be read: {exception.Message}");
        }
        if (form.Files.GetFile("file") is not { Length: > 0 } file) return FileProblem("Send the notebook in a multipart field named 'file'.");
        if (file.Length > NotebookReader.MaxBytes)
        {
            return FileProblem($"The file is larger than {NotebookReader.MaxBytes / (1024 * 1024)} MiB, the most a notebook can be.");
        }
        using var content = new MemoryStream((int)file.Length);
        await file.CopyToAsync(content, cancellationToken);
        var userId = request.HttpContext.User.UserId();
        var result = await importer.ImportAsync(userId, content.ToArray(), file.FileName, cancellationToken);
        if (result.Problem is { } problem) return FileProblem(problem.Message);
        var conversation = await conversations.FindOwnedAsync(userId, result.ConversationId!.Value, cancellationToken);
        return TypedResults.Created($"/api/conversations/{conversation!.Id}", ConversationResponse.From(conversation));
    }

    private static ValidationProblem FileProblem(string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["file"] = [message] }, detail: message, title: "The notebook could not be imported.");
}

/// <summary>The multipart body of <c>POST /api/conversations/import</c>.</summary>
/// <param name="File">The notebook (.ipynb, nbformat 4, at most 5 MiB).</param>
public sealed record ImportRequest(IFormFile File);
