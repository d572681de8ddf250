using System.Security.Claims;
using System.Text.Encodings.Web;
using CodeChatter.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Api;

/// <summary>
/// <c>Authorization: Bearer cc_…</c> for the JSON API, and nothing else: the API's endpoints name only
/// this scheme, so a browser's sign-in cookie never authorises them. One indexed lookup by prefix per
/// request, joined with the person, so a revoked token or a disabled person is refused at once. Failures
/// count against the client's address, and an address that has failed too often gets no more lookups
/// (<see cref="FailedTokenBudget"/>).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ChatDbContext db, TimeProvider time, FailedTokenBudget failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The claim holding the token's row id.</summary>
    public const string TokenIdClaim = "codechatter:token_id";

    // Writing LastUsedAt on every call would turn each read into a write; a minute's precision is plenty.
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    // Set when this request's address has used up its failed-token budget: the challenge is then a 429.
    private TimeSpan? _refusedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        // A malformed token costs no lookup; the API's per-address rate limit already covers it.
        if (ApiTokenIssuer.PrefixOf(token) is not { } prefix) return AuthenticateResult.Fail("Malformed token.");
        var address = RateLimiting.ClientAddress(Context);
        if (!failures.MayLookUp(address, token, out var retryAfter))
        {
            _refusedFor = retryAfter;
            return AuthenticateResult.Fail("Too many failed tokens from this address.");
        }

        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Prefix == prefix)
            .Select(t => new { t.Id, t.Hash, t.RevokedAt, t.LastUsedAt, t.UserId, t.User!.UserName, t.User.IsDisabled })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (found is null || !ApiTokenIssuer.Matches(token, found.Hash)) return Failed("Unknown token.");
        if (found.RevokedAt is not null) return Failed("Revoked token.");
        if (found.IsDisabled) return Failed("Disabled account.");
        failures.Succeeded(token);

        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedPrecision)
        {
            await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, found.UserId),
                new Claim(ClaimTypes.Name, found.UserName ?? found.UserId),
                new Claim(TokenIdClaim, found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

        AuthenticateResult Failed(string reason)
        {
            failures.Failed(address, token);
            return AuthenticateResult.Fail(reason);
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_refusedFor is { } retryAfter)
        {
            Response.Headers.RetryAfter = ApiEndpoints.RetryAfterSeconds(retryAfter);
            return TypedResults.Problem(
                "Too many failed token authentications from this address; wait for Retry-After.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(Context);
        }
        // The body (ProblemDetails) is written by the status-code pages for /api.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
