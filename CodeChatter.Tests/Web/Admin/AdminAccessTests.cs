using System.Net;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

public class AdminAccessTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private async Task<(string PersonId, long ConversationId)> SomeoneWithAConversationAsync()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        var chat = await someone.NewConversationAsync("print('hello')");
        return ((await someone.GetUserAsync()).Id, chat.ConversationId);
    }

    [Fact]
    public async Task A_person_who_is_not_an_admin_gets_404_on_every_admin_page()
    {
        var (personId, conversationId) = await SomeoneWithAConversationAsync();
        using var person = await AdminAccounts.PersonAsync(factory);

        foreach (var url in new[]
        {
            "/Admin", "/Admin/Users", "/Admin/Users?Search=a", $"/Admin/Users/{personId}", $"/Admin/Users/{personId}/Confirm/disable",
            $"/Admin/Users/{personId}/Confirm/revoke-admin", "/Admin/Runs", $"/Admin/Conversations/{conversationId}", "/Admin/Audit",
            "/Admin/Data",
        })
        {
            var page = await person.GetAsync(url);
            Assert.True(page.Status == HttpStatusCode.NotFound, $"{url} answered {page.Status}");
        }
    }

    [Fact]
    public async Task A_person_who_is_not_an_admin_gets_404_on_every_admin_action_and_changes_nothing()
    {
        var (personId, _) = await SomeoneWithAConversationAsync();
        using var person = await AdminAccounts.PersonAsync(factory);
        // A form of their own, so the request carries a valid antiforgery token: only authorization stops it.
        var ownForm = await person.GetAsync("/Account/Tokens");
        var myId = (await person.GetUserAsync()).Id;

        foreach (var action in new[]
        {
            $"/Admin/Users/{personId}?handler=Enable", $"/Admin/Users/{myId}?handler=GrantAdmin", $"/Admin/Users/{personId}?handler=Quota",
            $"/Admin/Users/{personId}/Confirm/disable", $"/Admin/Users/{personId}/Confirm/revoke-admin",
            "/Admin/Data?handler=Remove",
        })
        {
            ownForm.Single("form#create-token").SetAttribute("action", action);
            var result = await person.PostFormAsync(ownForm, "form#create-token", new() { ["Quota.DailyRunQuota"] = "100000", ["Input.Days"] = "1" });
            Assert.True(result.Status == HttpStatusCode.NotFound, $"{action} answered {result.Status}");
        }
        var someone = await person.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == personId));
        Assert.False(someone.IsDisabled);
        Assert.Null(someone.DailyRunQuota);
        Assert.Null((await person.GetAsync("/Conversations")).Document.QuerySelector("#admin-link"));
    }

    [Fact]
    public async Task Someone_not_signed_in_gets_404_not_a_sign_in_page()
    {
        using var anonymous = ChatClient.Anonymous(factory);

        var page = await anonymous.GetAsync("/Admin/Users");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("/Admin/Users", page.Url);
    }

    [Fact]
    public async Task An_admin_reaches_every_admin_page_from_the_admin_link()
    {
        var (personId, conversationId) = await SomeoneWithAConversationAsync();
        using var admin = await AdminAccounts.AdminAsync(factory);

        var home = await admin.GetAsync("/Conversations");
        var dashboard = await admin.GetAsync(home.Single("#admin-link").GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        foreach (var url in new[] { "/Admin/Users", $"/Admin/Users/{personId}", $"/Admin/Users/{personId}/Confirm/disable", "/Admin/Runs", $"/Admin/Conversations/{conversationId}", "/Admin/Audit" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).Status);
        }
    }
}
