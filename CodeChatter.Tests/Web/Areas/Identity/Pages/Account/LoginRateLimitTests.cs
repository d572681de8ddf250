using System.Net;

namespace CodeChatter.Tests.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Two sign-in attempts per address, served by real Kestrel: it is the server that turns the addresses
/// people type into the path routing sees, so only Kestrel shows which of them reach the Login page.
/// </summary>
public sealed class TwoSignInsAppFactory : ChatAppFactory
{
    public TwoSignInsAppFactory()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["RateLimits:SignInPermitLimit"] = "2",
    };
}

public class LoginRateLimitTests(TwoSignInsAppFactory factory) : IClassFixture<TwoSignInsAppFactory>
{
    private static readonly Dictionary<string, string> WrongPassword = new()
    {
        ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "wrong-password",
    };

    [Fact]
    public async Task Once_signing_in_is_limited_every_address_of_the_login_page_is_limited_but_reading_it_is_not()
    {
        using var client = ChatClient.Anonymous(factory);
        var login = await client.GetAsync("/Identity/Account/Login");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync(login, "form#account", WrongPassword)).Status);
        }
        string[] paths = ["/Identity/Account/Login", "/Identity/Account/Login/", "/Identity/Account/Login/.", "/identity/account/LOGIN"];

        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var path in paths)
        {
            // Sent as written: the server, not HttpClient, must be the one that reads "/." away.
            var address = new Uri(client.Http.BaseAddress + path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            statuses[path] = (await client.PostFormAsync(login, "form#account", WrongPassword, address)).Status;
        }
        var reading = await client.GetAsync("/Identity/Account/Login");

        Assert.Equal(paths.ToDictionary(path => path, _ => HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.OK, reading.Status);
        Assert.NotNull(reading.Document.QuerySelector("form#account"));
    }
}
