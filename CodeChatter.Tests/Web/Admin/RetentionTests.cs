using CodeChatter.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

/// <summary>The admin's "Remove old runs" on the Data page, and the database size on the dashboard.</summary>
public class RetentionTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private static readonly DateTime LongAgo = DateTime.UtcNow.AddDays(-40);

    [Fact]
    public async Task Removing_runs_older_than_30_days_keeps_newer_runs_and_the_snippets_of_conversations_still_in_use()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var stale = (await person.NewConversationAsync("print('stale')")).ConversationId;
        var inUse = (await person.NewConversationAsync("print('old run')")).ConversationId;
        // Forty days pass for the first conversation, and for the first run of the second...
        await person.WithDbAsync(async db =>
        {
            await db.Conversations.Where(c => c.Id == stale).ExecuteUpdateAsync(u => u.SetProperty(c => c.UpdatedAt, LongAgo).SetProperty(c => c.CreatedAt, LongAgo));
            return await db.Executions.Where(e => e.Snippet!.ConversationId == stale || e.Snippet!.ConversationId == inUse)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.StartedAt, LongAgo).SetProperty(e => e.FinishedAt, LongAgo));
        });
        // ...which is still in use today.
        await person.SendAsync(inUse, "print('new run')");

        var form = await admin.GetAsync("/Admin/Data");
        var done = await admin.PostFormAsync(form, "form#remove-old-runs", new() { ["Input.Days"] = "30" });

        Assert.Contains("Removed 2 run(s) and 1 whole conversation(s) older than 30 day(s)", done.Single(".status-message").TextContent);
        var left = await person.WithDbAsync(async db => new
        {
            StaleExists = await db.Conversations.AnyAsync(c => c.Id == stale),
            Snippets = await db.Snippets.Where(s => s.ConversationId == inUse).OrderBy(s => s.Sequence).Select(s => new { s.Code, Runs = s.Executions.Count }).ToListAsync(),
            Audit = await db.AuditEvents.Where(a => a.Action == AuditActions.RunsRemoved).ToListAsync(),
        });
        Assert.False(left.StaleExists);
        Assert.Equal(["print('old run')", "print('new run')"], left.Snippets.Select(s => s.Code));
        Assert.Equal([0, 1], left.Snippets.Select(s => s.Runs));
        var audit = Assert.Single(left.Audit);
        Assert.Equal((await admin.GetUserAsync()).Id, audit.ActorId);
        Assert.Contains("2 run(s), 1 whole conversation(s)", audit.Detail);

        // The conversation still reads as it was written: the message whose run went is still there.
        var chat = await person.GetAsync($"/Conversations/{inUse}");
        Assert.Equal(System.Net.HttpStatusCode.OK, chat.Status);
        Assert.Contains("print('old run')", chat.Document.Body!.TextContent);
        Assert.Contains("new run", chat.Document.Body!.TextContent);
    }

    [Fact]
    [Trait(Infrastructure.TestDatabase.Trait, Infrastructure.TestDatabase.SqliteOnly)]
    public async Task The_dashboard_and_the_data_page_show_the_database_size()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        var onDisk = new FileInfo(factory.DatabasePath).Length;

        var dashboard = await admin.GetAsync("/Admin");
        var data = await admin.GetAsync("/Admin/Data");

        var shown = long.Parse(dashboard.Single("[data-figure=database-bytes]").GetAttribute("data-value")!);
        Assert.InRange(shown, onDisk, onDisk + 64L * 1024 * 1024);
        Assert.EndsWith("iB", dashboard.Single("[data-figure=database-bytes]").TextContent.Trim());
        Assert.Equal(shown, long.Parse(data.Single("[data-figure=database-bytes]").GetAttribute("data-value")!), tolerance: 1024 * 1024);
        Assert.Contains("keeps every run", data.Single("#retention-heading").ParentElement!.TextContent);
    }

    [Fact]
    public async Task A_period_under_one_day_is_refused_and_nothing_is_removed()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        var runsBefore = await admin.WithDbAsync(db => db.Executions.CountAsync());

        var form = await admin.GetAsync("/Admin/Data");
        var refused = await admin.PostFormAsync(form, "form#remove-old-runs", new() { ["Input.Days"] = "0" });

        Assert.Equal(System.Net.HttpStatusCode.OK, refused.Status);
        Assert.NotEmpty(refused.Single("span[data-valmsg-for='Input.Days']").TextContent);
        Assert.Equal(runsBefore, await admin.WithDbAsync(db => db.Executions.CountAsync()));
    }
}
