using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Web.Rendering;

namespace CodeChatter.Web.Pages.ShareView;

/// <summary>What every response under a share link carries, and how its images and files are served.</summary>
public static class ShareResponse
{
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
    /// a value) goes out as the chat page's downloads do (<see cref="FileDownload"/>), never cached.
    /// </summary>
    /// <returns>The Content-Type to serve it with.</returns>
    public static string PrepareItem(HttpResponse response, OutputContent output)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(output);
        if (output.MediaType == RichMediaTypes.Png)
        {
            response.Headers.XContentTypeOptions = "nosniff";
            AddPrivacyHeaders(response);
            return RichMediaTypes.Png;
        }
        var name = output.MediaType == RichMediaTypes.File ? StoredOutputFile.FileName(output) : StoredOutputFile.AttachmentName(output)!;
        FileDownload.AddHeaders(response, name);
        // After the download headers: a share link's responses are never kept by any cache.
        AddPrivacyHeaders(response);
        return FileDownload.ContentType;
    }
}
