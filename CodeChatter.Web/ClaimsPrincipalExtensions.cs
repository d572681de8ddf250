using System.Security.Claims;

namespace CodeChatter.Web;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in person's id. Pages behind the authorization conventions always have one.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("This page needs a signed-in person.");
}
