using CodeChatter.Core.Chat.Attachments;
using Microsoft.AspNetCore.Http.Features;

namespace CodeChatter.Web;

/// <summary>
/// Reading an upload to attach (the chat page's form and <c>POST /api/conversations/{id}/attachments</c>) with
/// its form capped a little above the largest attachment. A larger body is read to its end and thrown away,
/// so the browser, which sends the whole file before it reads an answer, gets a page that says why: an answer
/// while it is still sending ends in a reset connection and the browser's own error. Past
/// <see cref="MostDrainedBytes"/> Kestrel cuts the connection all the same (its default cap is 30 MB).
/// </summary>
public static class AttachmentUploads
{
    /// <summary>Room for the form's other fields and the multipart headers beside the file itself.</summary>
    public const int FormOverheadBytes = 64 * 1024;

    /// <summary>How many times the largest attachment an oversized upload may be and still be answered in words.</summary>
    public const int DrainedFactor = 4;

    /// <summary>The most bytes an upload's form may carry.</summary>
    public static long MostBytes(AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (long)limits.MaxFileBytes + FormOverheadBytes;
    }

    /// <summary>The most bytes an upload request may carry at all (Kestrel's limit for it).</summary>
    public static long MostDrainedBytes(AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return (long)limits.MaxFileBytes * DrainedFactor + FormOverheadBytes;
    }

    /// <summary>
    /// Reads the request's form under the cap (it stays cached on the request for whatever reads it next);
    /// false when the body was larger. A file between the largest attachment and the cap is read, and the
    /// attachment service refuses it with its own words.
    /// </summary>
    public static async Task<bool> TryReadFormAsync(HttpContext context, AttachmentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MostDrainedBytes(limits);
        if (!context.Request.HasFormContentType) return true;
        try
        {
            await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MostBytes(limits) }, context.RequestAborted);
            return true;
        }
        catch (InvalidDataException)
        {
            // The multipart reader stopped at the cap: take in the rest before answering.
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (BadHttpRequestException refused) when (refused.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // Past the drained limit: Kestrel closes the connection after whatever is answered.
            }
            return false;
        }
        catch (BadHttpRequestException refused) when (refused.StatusCode == StatusCodes.Status413PayloadTooLarge)
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
