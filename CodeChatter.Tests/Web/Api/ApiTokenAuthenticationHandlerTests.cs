using System.Net;

namespace CodeChatter.Tests.Web.Api;

/// <summary>An instance that lets one address fail five token authentications a minute.</summary>
public sealed class FiveFailedTokensAppFactory : ChatAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["RateLimits:FailedAuthPermitLimit"] = "5",
    };
}

public class ApiTokenAuthenticationHandlerTests(FiveFailedTokensAppFactory factory) : IClassFixture<FiveFailedTokensAppFactory>
{
    /// <summary>Well-formed, so it would cost a lookup; made up, so every one has a prefix of its own.</summary>
    private static string MadeUpToken() => $"cc_{Guid.NewGuid():N}"[..13] + $"_{Guid.NewGuid():N}";

    [Fact]
    public async Task A_flood_of_made_up_tokens_from_one_address_is_refused_without_looking_them_up_while_a_token_that_worked_keeps_working()
    {
        // One class, one test: the budget belongs to the address every test here calls from.
        using var script = await ApiClient.CreateAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await script.Http.GetAsync("/api/languages")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var http = ApiClient.WithToken(factory, MadeUpToken());
            using var response = await http.GetAsync("/api/languages");
            statuses.Add(response.StatusCode);
        }
        using var flooder = ApiClient.WithToken(factory, MadeUpToken());
        using var refused = await flooder.GetAsync("/api/conversations");
        using var stillWorking = await script.Http.GetAsync("/api/languages");

        // A 401 is an answer from the database; a 429 means the token was never looked up.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (await ApiClient.ProblemAsync(refused)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, stillWorking.StatusCode);
    }
}
