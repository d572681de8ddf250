using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CodeChatter.Core.Accounts;
using CodeChatter.Core.Observability;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Api;

/// <summary>
/// <c>Authorization: Bearer cc_…</c> for the JSON API, and nothing else: the API's endpoints name only
/// this scheme, so a browser's sign-in cookie never authorises them. Each token is checked by
/// <see cref="IApiTokens"/>, so a revoked token or a disabled person is refused at once. Failures
/// count against the client's address, and an address that has failed too often gets no more lookups
/// (<see cref="FailedTokenBudget"/>).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IApiTokens tokens, FailedTokenBudget failures, CodeChatterMetrics? metrics = null)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    // Set when this request's address has used up its failed-token budget: the challenge is then a 429.
    private TimeSpan? _refusedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } token) return AuthenticateResult.NoResult();
        // A malformed token costs no lookup; the API's per-address rate limit already covers it.
        if (ApiTokenFormat.PrefixOf(token) is null) return AuthenticateResult.Fail("Malformed token.");
        var address = RateLimiting.ClientAddress(Context);
        if (await failures.WaitBeforeLookUpAsync(address, token, Context.RequestAborted) is { } retryAfter)
        {
            _refusedFor = retryAfter;
            return AuthenticateResult.Fail("Too many failed tokens from this address.");
        }

        var checking = Stopwatch.GetTimestamp();
        var check = await tokens.CheckAsync(token, Context.RequestAborted);
        metrics?.PhaseTook(RunPhases.TokenCheck, checking);
        switch (check.Outcome)
        {
            case ApiTokenCheckOutcome.Unknown: return await FailedAsync("Unknown token.");
            case ApiTokenCheckOutcome.Revoked: return await FailedAsync("Revoked token.");
            case ApiTokenCheckOutcome.Disabled: return await FailedAsync("Disabled account.");
        }
        failures.Succeeded(token);

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, check.UserId!),
                new Claim(ClaimTypes.Name, check.UserName!),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

        async Task<AuthenticateResult> FailedAsync(string reason)
        {
            await failures.FailedAsync(address, token, Context.RequestAborted);
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
