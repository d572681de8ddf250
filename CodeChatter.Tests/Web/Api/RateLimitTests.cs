using System.Net;
using System.Net.Http.Json;

namespace CodeChatter.Tests.Web.Api;

/// <summary>An instance with very low request limits.</summary>
public sealed class LowRateLimitAppFactory : ChatAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["RateLimits:ApiPermitLimit"] = "3",
        ["RateLimits:SignInPermitLimit"] = "2",
    };
}

public class RateLimitTests(LowRateLimitAppFactory factory) : IClassFixture<LowRateLimitAppFactory>
{
    [Fact]
    public async Task Too_many_api_requests_with_one_token_are_429_with_retry_after()
    {
        using var api = await ApiClient.CreateAsync(factory);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/languages")).StatusCode);
        }

        using var response = await api.Http.GetAsync("/api/languages");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (await ApiClient.ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_from_one_address_are_429()
    {
        using var client = ChatClient.Anonymous(factory);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostFormAsync("/Identity/Account/Login", "form#account", new()
            {
                ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "wrong-password",
            })).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
