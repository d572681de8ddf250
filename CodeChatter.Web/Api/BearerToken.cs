namespace CodeChatter.Web.Api;

/// <summary>Reads <c>Authorization: Bearer …</c>, for the token handler and the API's rate-limit partition alike.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>The token the request presents, or null when it sends no bearer token.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
