using System.Net;
using CodeChatter.Core.Audit;
using CodeChatter.Data;
using CodeChatter.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

public class UsersTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private static async Task<ChatClient.Page> DisableAsync(ChatClient admin, string userId)
    {
        var details = await admin.GetAsync($"/Admin/Users/{userId}");
        var confirm = await admin.GetAsync(details.Single("a#disable").GetAttribute("href")!);
        Assert.Contains("Disable", confirm.Single("#question").TextContent);
        return await admin.PostFormAsync(confirm, "form#confirm");
    }

    [Fact]
    public async Task People_can_be_searched_by_email_and_show_their_runs_role_and_state()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await ChatClient.RegisterAsync(factory, $"findme-{Guid.NewGuid():N}@example.com");
        await person.NewConversationAsync("print(1)");

        var page = await admin.GetAsync($"/Admin/Users?Search={person.Email[..12]}");

        var row = Assert.Single(page.All("tr.person-row"));
        Assert.Equal(person.Email, row.GetAttribute("data-email"));
        Assert.Equal("active", row.QuerySelector("[data-state]")!.GetAttribute("data-state"));
        Assert.Equal("person", row.QuerySelector("[data-role]")!.GetAttribute("data-role"));
        Assert.Equal("1", row.QuerySelectorAll("td")[3].TextContent);
    }

    [Fact]
    public async Task Disabling_someone_asks_first_then_signs_them_out_stops_their_tokens_and_runs_and_is_audited()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var api = await ApiClient.CreateAsync(factory);
        var userId = (await api.Person.GetUserAsync()).Id;

        var result = await DisableAsync(admin, userId);

        Assert.Equal("disabled", result.Single("#person-state").TextContent);
        Assert.Contains("is disabled", result.Single(".status-message").TextContent);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Http.GetAsync("/api/languages")).StatusCode);
        Assert.StartsWith("/Identity/Account/Login", (await api.Person.GetAsync("/Conversations")).Url);
        var adminId = (await admin.GetUserAsync()).Id;
        Assert.True(await admin.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.UserDisabled && a.ActorId == adminId && a.Target == userId)));
        var audit = await admin.GetAsync("/Admin/Audit");
        Assert.Contains(audit.All("tr.audit-row"), row => row.GetAttribute("data-action") == AuditActions.UserDisabled && row.GetAttribute("data-target") == userId);
    }

    [Fact]
    public async Task A_disabled_person_can_be_enabled_again()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var api = await ApiClient.CreateAsync(factory);
        var userId = (await api.Person.GetUserAsync()).Id;
        var disabled = await DisableAsync(admin, userId);

        var enabled = await admin.PostFormAsync(disabled, "form#enable");

        Assert.Equal("active", enabled.Single("#person-state").TextContent);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/languages")).StatusCode);
    }

    [Fact]
    public async Task Admin_can_be_granted_and_revoked_after_confirmation()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var userId = (await person.GetUserAsync()).Id;

        var granted = await admin.PostFormAsync($"/Admin/Users/{userId}", "form#grant-admin");
        Assert.Equal("admin", granted.Single("#person-role").TextContent);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/Admin")).Status);

        var confirm = await admin.GetAsync(granted.Single("a#revoke-admin").GetAttribute("href")!);
        var revoked = await admin.PostFormAsync(confirm, "form#confirm");

        Assert.Equal("person", revoked.Single("#person-role").TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync("/Admin")).Status);
        Assert.Equal(2, await admin.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Target == userId && (a.Action == AuditActions.AdminGranted || a.Action == AuditActions.AdminRevoked))));
    }

    [Fact]
    public async Task A_daily_quota_can_be_set_and_cleared_back_to_the_default()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var userId = (await person.GetUserAsync()).Id;

        var set = await admin.PostFormAsync($"/Admin/Users/{userId}", "form#quota", new() { ["Quota.DailyRunQuota"] = "7" });
        Assert.Equal("7", set.Single("#person-quota").TextContent);
        Assert.Equal(7, (await person.GetUserAsync()).DailyRunQuota);

        var cleared = await admin.PostFormAsync(set, "form#quota", new() { ["Quota.DailyRunQuota"] = "" });
        Assert.StartsWith("default", cleared.Single("#person-quota").TextContent);
        Assert.Null((await person.GetUserAsync()).DailyRunQuota);
    }

    [Fact]
    public async Task Every_run_of_everyone_is_listed_filterable_and_opens_read_only()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var api = await ApiClient.CreateAsync(factory);
        var run = await api.RunOkAsync("print('seen by the admin')");
        var executionId = run.GetProperty("id").GetInt64();

        var list = await admin.GetAsync($"/Admin/Runs?Filter.Person={Uri.EscapeDataString(api.Person.Email)}&Filter.Status=succeeded&Filter.Language=python");

        var row = Assert.Single(list.All("tr.run-row"));
        Assert.Equal(executionId.ToString(), row.GetAttribute("data-execution-id"));
        var conversation = await admin.GetAsync(row.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, conversation.Status);
        Assert.Equal("seen by the admin\n", conversation.Single($"#execution-{executionId} pre[data-stream=stdout]").TextContent);
        Assert.Empty(conversation.All("#chat form"));
        Assert.Empty((await admin.GetAsync($"/Admin/Runs?Filter.Person={Uri.EscapeDataString(api.Person.Email)}&Filter.Status=failed")).All("tr.run-row"));
    }
}
