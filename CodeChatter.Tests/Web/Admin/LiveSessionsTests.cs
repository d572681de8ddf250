using System.Net;
using CodeChatter.Core.Audit;
using CodeChatter.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

/// <summary>The admin's Live sessions page, over the recording fake session runner.</summary>
public class LiveSessionsTests(SessionAppFactory factory) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task The_admin_sees_each_live_session_with_its_person_and_conversation_the_longest_idle_first()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        var chat = await someone.NewConversationAsync("x = 1", title: "Counting sheep");
        var userId = (await someone.GetUserAsync()).Id;
        factory.Sessions.Add(userId, chat.ConversationId, "bash", 9, DateTimeOffset.UtcNow.AddHours(-1));
        using var admin = await AdminAccounts.AdminAsync(factory);

        var page = await admin.GetAsync("/Admin/Sessions");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var rows = page.All($"tr.session-row[data-conversation-id='{chat.ConversationId}']");
        Assert.Equal(2, rows.Count);
        Assert.Contains("bash", rows[0].TextContent);
        Assert.Contains("1 h 0 min", rows[0].TextContent);
        Assert.Contains("python", rows[1].TextContent);
        Assert.All(rows, row => Assert.Contains(someone.Email, row.TextContent));
        Assert.All(rows, row => Assert.Contains("Counting sheep", row.TextContent));
        Assert.NotNull(page.Document.QuerySelector("nav.admin-nav a[href='/Admin/Sessions']"));
    }

    [Fact]
    public async Task Ending_a_session_ends_it_for_the_reason_admin_and_records_who_did_in_the_audit_log()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        var chat = await someone.NewConversationAsync("x = 1");
        using var admin = await AdminAccounts.AdminAsync(factory);
        var page = await admin.GetAsync("/Admin/Sessions");
        var row = page.Single($"tr.session-row[data-conversation-id='{chat.ConversationId}']");
        var sessionId = row.GetAttribute("data-session-id")!;

        var after = await admin.PostFormAsync(page, $"tr[data-session-id='{sessionId}'] form");

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Contains("Ended", after.Single(".status-message").TextContent);
        Assert.Empty(after.All($"tr[data-session-id='{sessionId}']"));
        Assert.Contains($"end {sessionId} Admin", factory.Sessions.Calls);
        var adminId = (await admin.GetUserAsync()).Id;
        var personId = (await someone.GetUserAsync()).Id;
        var audit = await admin.WithDbAsync(db => db.AuditEvents.SingleAsync(a => a.Action == AuditActions.SessionEnded && a.Target == personId));
        Assert.Equal(adminId, audit.ActorId);
        Assert.Contains("python", audit.Detail);
    }

    [Fact]
    public async Task Ending_a_session_that_has_already_ended_says_so_and_records_nothing()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        var chat = await someone.NewConversationAsync("x = 1");
        using var admin = await AdminAccounts.AdminAsync(factory);
        var page = await admin.GetAsync("/Admin/Sessions");
        var sessionId = page.Single($"tr.session-row[data-conversation-id='{chat.ConversationId}']").GetAttribute("data-session-id")!;
        await factory.Sessions.EndAsync(Guid.Parse(sessionId), CodeChatter.Core.Execution.Sessions.SessionEndReason.Idle);

        var after = await admin.PostFormAsync(page, $"tr[data-session-id='{sessionId}'] form");

        Assert.Contains("already ended", after.Single(".status-message").TextContent);
        var personId = (await someone.GetUserAsync()).Id;
        Assert.False(await admin.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.SessionEnded && a.Target == personId)));
    }

    [Fact]
    public async Task A_person_who_is_not_an_admin_gets_404_on_the_page_and_on_ending_a_session()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        var chat = await someone.NewConversationAsync("x = 1");
        var sessionId = factory.Sessions.List().Single(s => s.ConversationId == chat.ConversationId).Id;
        using var person = await AdminAccounts.PersonAsync(factory);
        // A form of their own, so the request carries a valid antiforgery token: only authorization stops it.
        var ownForm = await person.GetAsync("/Account/Tokens");
        ownForm.Single("form#create-token").SetAttribute("action", $"/Admin/Sessions?handler=End&id={sessionId}");

        var page = await person.GetAsync("/Admin/Sessions");
        var end = await person.PostFormAsync(ownForm, "form#create-token");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(HttpStatusCode.NotFound, end.Status);
        Assert.Contains(factory.Sessions.List(), s => s.Id == sessionId);
    }

    [Fact]
    public async Task Disabling_a_person_ends_their_sessions()
    {
        using var someone = await ChatClient.RegisterAsync(factory);
        await someone.NewConversationAsync("x = 1");
        var personId = (await someone.GetUserAsync()).Id;
        using var admin = await AdminAccounts.AdminAsync(factory);

        var confirm = await admin.GetAsync($"/Admin/Users/{personId}/Confirm/disable");
        await admin.PostFormAsync(confirm, "form#confirm");

        Assert.Contains($"end-person {personId} PersonDisabled", factory.Sessions.Calls);
        Assert.DoesNotContain(factory.Sessions.List(), s => s.UserId == personId);
    }
}
