using System.Net;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Areas.Identity.Pages.Account;

/// <summary>A class of its own (and so a database of its own): the first account must be the first here.</summary>
public class RegisterTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task The_first_account_registered_becomes_admin_and_later_ones_do_not()
    {
        using var first = await ChatClient.RegisterAsync(factory);
        using var second = await ChatClient.RegisterAsync(factory);

        // Other tests of this class may have registered before; the earliest account of all is the admin.
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var earliest = users.Users.OrderBy(u => u.CreatedAt).First();
        Assert.Equal([earliest.Id], (await users.GetUsersInRoleAsync("Admin")).Select(u => u.Id));
        Assert.False(await users.IsInRoleAsync((await users.FindByEmailAsync(second.Email))!, "Admin"));
        Assert.NotEqual(earliest.Id, (await users.FindByEmailAsync(second.Email))!.Id);
        Assert.NotNull(first);
    }

    [Fact]
    public async Task Registering_needs_no_e_mail_confirmation_and_signs_me_in()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.GetAsync("/Conversations");

        Assert.Equal("/Conversations", page.Url);
        Assert.Equal(client.Email, page.Single("#manage").TextContent);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task An_off_site_return_address_sends_me_home_once_registered(string returnUrl)
    {
        using var client = ChatClient.Anonymous(factory);

        var page = await client.PostFormAsync($"/Identity/Account/Register?returnUrl={Uri.EscapeDataString(returnUrl)}", "form#registerForm", new()
        {
            ["Input.Email"] = $"{Guid.NewGuid():N}@example.com", ["Input.Password"] = ChatClient.Password, ["Input.ConfirmPassword"] = ChatClient.Password,
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Url);
        Assert.NotNull(page.Document.QuerySelector("form#sign-out"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var home = await client.GetAsync("/");

        await client.PostFormAsync(home, "form#sign-out");
        var page = await client.GetAsync("/Conversations");

        Assert.StartsWith("/Identity/Account/Login", page.Url);
    }
}
