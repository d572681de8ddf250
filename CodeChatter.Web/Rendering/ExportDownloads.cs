using CodeChatter.Core.Export;

namespace CodeChatter.Web.Rendering;

/// <summary>How the chat page and the API serve an exported conversation: the same bytes, headers and sanitizer.</summary>
public static class ExportDownloads
{
    /// <summary>The sanitizer every exported table passes: the one the chat page shows tables through.</summary>
    public static Func<string?, string> SanitizeHtml { get; } = DisplayHtmlSanitizer.Shared.Sanitize;

    /// <summary>
    /// Headers of every export: never sniffed into something the browser would render, and never kept by a
    /// cache, since an export is a person's own and changes with each run.
    /// </summary>
    public static void AddHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, no-store";
    }
}
