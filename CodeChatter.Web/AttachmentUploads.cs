using CodeChatter.Core.Chat.Attachments;
using Microsoft.AspNetCore.Http.Features;

namespace CodeChatter.Web;

/// <summary>
/// Reading an upload to attach (the chat page's form and <c>POST /api/conversations/{id}/attachments</c>) with
/// its body capped a little above the largest attachment, so an oversized upload stops early and is told why
/// instead of ending in an error: Kestrel's default cap (30 MB) is far above what could ever be kept.
/// </summary>
public static class AttachmentUploads
{
    /// <summary>Room for the form's other fields and the multipart headers beside the file itself.</summary>
    public const int FormOverheadBytes = 64 * 1024;

    /// <summary>The most bytes an upload request may carry.</summary>
    public static long MostBytes(AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (long)limits.MaxFileBytes + FormOverheadBytes;
    }

    /// <summary>
    /// Reads the request's form under the cap (it stays cached on the request for whatever reads it next);
    /// false when the body was larger. A file between the largest attachment and the cap is read, and the
    /// attachment service refuses it with its own words.
    /// </summary>
    public static async Task<bool> TryReadFormAsync(HttpContext context, AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        var most = MostBytes(limits);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = most;
        if (!context.Request.HasFormContentType) return true;
        try
        {
            await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = most }, context.RequestAborted);
            return true;
        }
        // Kestrel stops a body over MaxRequestBodySize; the multipart reader one over its own limit (the test host has no Kestrel).
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return false;
        }
    }

    /// <summary>What a person or script is told when the upload was over the cap.</summary>
    public static string TooLarge(AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return $"Nothing was attached: the upload is larger than {AttachmentService.Size(limits.MaxFileBytes)}, the most one attachment may be.";
    }
}
