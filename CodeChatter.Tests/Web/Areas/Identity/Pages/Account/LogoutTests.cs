using System.Net;

namespace CodeChatter.Tests.Web.Areas.Identity.Pages.Account;

public class LogoutTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task An_off_site_return_address_still_signs_me_out_and_sends_me_home(string returnUrl)
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var home = await client.GetAsync("/");
        home.Single("form#sign-out").SetAttribute("action", $"/Identity/Account/Logout?returnUrl={Uri.EscapeDataString(returnUrl)}");

        var page = await client.PostFormAsync(home, "form#sign-out");
        var afterwards = await client.GetAsync("/Conversations");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Url);
        Assert.StartsWith("/Identity/Account/Login", afterwards.Url);
    }
}
