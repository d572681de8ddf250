using System.Net;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Areas.Identity.Pages.Account;

public class LoginTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private static Task<ChatClient.Page> SignInAsync(ChatClient client, string email, string password) =>
        client.PostFormAsync("/Identity/Account/Login", "form#account", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    private async Task<string> RegisterAndSignOutAsync()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        return owner.Email;
    }

    [Fact]
    public async Task I_can_sign_in_with_my_password()
    {
        var email = await RegisterAndSignOutAsync();
        using var client = ChatClient.Anonymous(factory);

        var page = await SignInAsync(client, email, ChatClient.Password);

        Assert.Equal(email, page.Single("#manage").TextContent);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task An_off_site_return_address_sends_me_home_once_signed_in(string returnUrl)
    {
        var email = await RegisterAndSignOutAsync();
        using var client = ChatClient.Anonymous(factory);

        var page = await client.PostFormAsync($"/Identity/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}", "form#account", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = ChatClient.Password,
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Url);
        Assert.Equal(email, page.Single("#manage").TextContent);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var email = await RegisterAndSignOutAsync();
        using var client = ChatClient.Anonymous(factory);

        for (var i = 0; i < 4; i++)
        {
            var wrong = await SignInAsync(client, email, "wrong-password");
            Assert.Contains("Invalid login attempt.", wrong.Single("[role=alert]").TextContent);
        }
        var fifth = await SignInAsync(client, email, "wrong-password");
        var right = await SignInAsync(client, email, ChatClient.Password);

        Assert.StartsWith("/Identity/Account/Lockout", fifth.Url);
        Assert.StartsWith("/Identity/Account/Lockout", right.Url);
        Assert.Null(right.Document.QuerySelector("form#sign-out"));
        var audited = await client.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == "sign_in.locked_out" && a.Detail == email));
        Assert.True(audited);
    }

    [Fact]
    public async Task A_disabled_person_cannot_sign_in()
    {
        var email = await RegisterAndSignOutAsync();
        using var client = ChatClient.Anonymous(factory);
        await DisableAsync(email);

        var page = await SignInAsync(client, email, ChatClient.Password);

        Assert.Contains("This account has been disabled.", page.Single("[role=alert]").TextContent);
        Assert.Null(page.Document.QuerySelector("form#sign-out"));
    }

    [Fact]
    public async Task A_disabled_person_with_the_wrong_password_learns_nothing_about_the_account()
    {
        var email = await RegisterAndSignOutAsync();
        using var client = ChatClient.Anonymous(factory);
        await DisableAsync(email);

        var page = await SignInAsync(client, email, "wrong-password");

        Assert.Contains("Invalid login attempt.", page.Single("[role=alert]").TextContent);
    }

    [Fact]
    public async Task A_person_disabled_while_signed_in_is_signed_out_on_the_next_request()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        Assert.StartsWith("/Conversations", (await client.GetAsync("/Conversations")).Url);

        await DisableAsync(client.Email);
        var page = await client.GetAsync("/Conversations");

        Assert.StartsWith("/Identity/Account/Login", page.Url);
    }

    private async Task DisableAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        user.IsDisabled = true;
        await users.UpdateAsync(user);
    }
}
