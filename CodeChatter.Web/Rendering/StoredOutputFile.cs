using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// How one stored displayed item is served from its own address (the chat page's and the API's). Only an
/// item stored as PNG is ever served as an image; anything else, HTML included, goes out as a plain-text
/// attachment, so a snippet's markup can never be rendered as a page of this site (a file a run left goes out
/// as <see cref="FileDownload"/> says). Together with
/// <c>X-Content-Type-Options: nosniff</c> the browser takes the type as given.
/// </summary>
public static class StoredOutputFile
{
    /// <summary>The Content-Type to serve <paramref name="output"/> with.</summary>
    public static string ContentType(OutputContent output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.MediaType == RichMediaTypes.Png ? RichMediaTypes.Png : "text/plain; charset=utf-8";
    }

    /// <summary>The attachment's file name for a text item; null for an image, which is shown inline.</summary>
    public static string? AttachmentName(OutputContent output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.MediaType == RichMediaTypes.Png ? null : $"run-{output.ExecutionId}-output-{output.Id}.txt";
    }

    /// <summary>The name a run's file is downloaded under: the name it was stored with, or a made-up one.</summary>
    public static string FileName(OutputContent output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.FileName is { Length: > 0 } name ? name : $"run-{output.ExecutionId}-file-{output.Id}";
    }

    /// <summary>Headers every served item carries, whatever the rest of the pipeline does.</summary>
    public static void AddHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.XContentTypeOptions = "nosniff";
        // A person's figure is theirs: no shared cache may keep it.
        response.Headers.CacheControl = "private, max-age=3600";
    }
}
