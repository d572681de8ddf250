namespace CodeChatter.Tests.Web.Areas.Identity.Pages.Account;

public class AccountPagesTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/ForgotPassword")]
    public async Task The_signed_out_account_pages_use_the_apps_look_and_never_mention_external_logins_or_phones(string path)
    {
        using var visitor = ChatClient.Anonymous(factory);

        var page = await visitor.GetAsync(path);

        var main = page.Single("main").TextContent;
        Assert.DoesNotContain("external", main, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("phone", main, StringComparison.OrdinalIgnoreCase);
        Assert.Null(page.Document.QuerySelector("main .btn-primary"));
    }

    [Fact]
    public async Task Sign_in_offers_a_way_to_recover_a_forgotten_password_which_points_to_the_admin()
    {
        using var visitor = ChatClient.Anonymous(factory);

        var login = await visitor.GetAsync("/Identity/Account/Login");
        var forgot = await visitor.GetAsync(login.Single("a#forgot-password").GetAttribute("href")!);

        Assert.Contains("admin", forgot.Single("main").TextContent);
    }

    [Fact]
    public async Task The_account_page_has_no_phone_number_or_external_logins()
    {
        using var person = await ChatClient.RegisterAsync(factory);

        var page = await person.GetAsync("/Identity/Account/Manage");

        Assert.Equal(person.Email, page.Single("#profile-email").TextContent);
        var main = page.Single("main").TextContent;
        Assert.DoesNotContain("phone", main, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("external", main, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("page", page.Single("#manage-index").GetAttribute("aria-current"));
    }
}
