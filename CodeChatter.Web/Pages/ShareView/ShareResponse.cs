using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using Microsoft.Net.Http.Headers;

namespace CodeChatter.Web.Pages.ShareView;

/// <summary>What every response under a share link carries, and how its images and files are served.</summary>
public static class ShareResponse
{
    /// <summary>The one type anything but an image is served as: bytes, never something the browser renders.</summary>
    public const string DownloadContentType = "application/octet-stream";

    /// <summary>
    /// Not indexed (a link is for the people it was handed to, not for search engines), no Referer (the token
    /// in this address must not travel to the sites its links lead to), and never kept by a cache, so a revoked
    /// link stops at once.
    /// </summary>
    public static void AddPrivacyHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>
    /// The headers of a served item: a PNG is an image for the page's <c>img</c>; anything else (a file, a table,
    /// a value) an attachment of opaque bytes under a sandbox policy, its name only in an encoded Content-Disposition.
    /// </summary>
    /// <returns>The Content-Type to serve it with.</returns>
    public static string PrepareItem(HttpResponse response, OutputContent output)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(output);
        AddPrivacyHeaders(response);
        response.Headers.XContentTypeOptions = "nosniff";
        if (output.MediaType == RichMediaTypes.Png) return RichMediaTypes.Png;
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; frame-ancestors 'none'";
        response.Headers.ContentDisposition = AttachmentDisposition(NameOf(output));
        return DownloadContentType;
    }

    /// <summary>The <c>Content-Disposition</c> of an attachment called <paramref name="name"/>: an ASCII stand-in and the real name percent-encoded (RFC 6266).</summary>
    public static string AttachmentDisposition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var flat = name.Replace('/', '_').Replace('\\', '_');
        var ascii = new string(flat.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return new ContentDispositionHeaderValue("attachment")
        {
            FileName = ascii.Length == 0 ? "file" : ascii,
            FileNameStar = flat,
        }.ToString();
    }

    private static string NameOf(OutputContent output) =>
        output.MediaType == RichMediaTypes.File && output.FileName is { Length: > 0 } name
            ? name
            : $"run-{output.ExecutionId}-output-{output.Id}{(output.MediaType == RichMediaTypes.File ? "" : ".txt")}";
}
