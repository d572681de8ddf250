namespace CodeChatter.Web.Pages.ShareView;

/// <summary>The address of a share link, the one thing its owner hands out: pages and the API build it alike.</summary>
public static class ShareAddress
{
    /// <summary>The absolute address of the public page for <paramref name="token"/>, on the host the request came to.</summary>
    public static string For(HttpRequest request, string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}/s/{Uri.EscapeDataString(token)}";
    }
}
