using System.Text;
using Microsoft.Net.Http.Headers;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// How a file a person attached or a run left behind is served (the chat page's and the API's addresses):
/// always a download of opaque bytes, never something the browser renders. The name came from outside (an
/// uploader, a snippet), so it reaches the header only through <see cref="ContentDispositionHeaderValue"/>:
/// an ASCII stand-in as <c>filename</c> and the real name percent-encoded as <c>filename*</c>
/// (RFC 6266), so quotes, angle brackets, slashes and non-ASCII letters cannot break the header.
/// </summary>
public static class FileDownload
{
    /// <summary>The one type files are served as: bytes, whatever their name or content says.</summary>
    public const string ContentType = "application/octet-stream";

    /// <summary>
    /// What the download response carries besides its type: opened nowhere but on disk (attachment), no type
    /// sniffing, and a sandbox policy in case a browser renders it after all.
    /// </summary>
    public static void AddHeaders(HttpResponse response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentDisposition = ContentDisposition(name);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; frame-ancestors 'none'";
        // An attachment may be replaced under the same address: always ask again, and never from a shared cache.
        response.Headers.CacheControl = "private, no-cache";
    }

    /// <summary>The <c>Content-Disposition</c> value for a file called <paramref name="name"/>.</summary>
    public static string ContentDisposition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // An output file keeps its folder in its name (reports/summary.csv); a saved file has no folder.
        var flat = name.Replace('/', '_').Replace('\\', '_');
        var header = new ContentDispositionHeaderValue("attachment")
        {
            FileName = AsciiStandIn(flat),
            FileNameStar = flat,
        };
        return header.ToString();
    }

    /// <summary>The name with only letters, digits and a few punctuation marks kept: for clients that ignore <c>filename*</c>.</summary>
    private static string AsciiStandIn(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        var standIn = builder.ToString().Trim('.');
        return standIn.Length == 0 ? "file" : standIn;
    }
}
