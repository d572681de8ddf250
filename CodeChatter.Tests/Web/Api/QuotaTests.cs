using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using CodeChatter.Core.Audit;
using CodeChatter.Data;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Api;

/// <summary>An instance whose people may run twice a day.</summary>
public sealed class TwoRunsADayAppFactory : ChatAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Quotas:DefaultDailyRuns"] = "2" };
}

public class QuotaTests(TwoRunsADayAppFactory factory) : IClassFixture<TwoRunsADayAppFactory>
{
    [Fact]
    public async Task A_run_over_the_daily_quota_is_429_with_retry_after_stored_as_rejected_and_audited()
    {
        using var api = await ApiClient.CreateAsync(factory);
        await api.RunOkAsync("print(1)");
        await api.RunOkAsync("print(2)");

        using var response = await api.RunAsync(new { language = "python", code = "print(3)" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        var problem = await ApiClient.ProblemAsync(response);
        Assert.StartsWith("Daily quota of 2 runs reached; you can run again at 00:00 UTC", problem.GetProperty("detail").GetString());
        var userId = (await api.Person.GetUserAsync()).Id;
        var statuses = await api.Person.WithDbAsync(db => db.Executions.OwnedBy(userId).OrderBy(e => e.Id).Select(e => e.Status).ToListAsync());
        Assert.Equal(["succeeded", "succeeded", "rejected"], statuses.Select(s => CodeChatter.Core.Execution.RunStatusNames.ToWireName(s)));
        Assert.True(await api.Person.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.RunRefused && a.ActorId == userId)));
    }

    [Fact]
    public async Task A_run_refused_on_the_chat_page_says_why_and_when_I_can_run_again()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var first = await api.RunOkAsync("print(1)");
        await api.RunOkAsync("print(2)");
        (await api.RunAsync(new { language = "python", code = "print(3)" })).Dispose();

        var page = await api.Person.SendAsync(first.GetProperty("conversationId").GetInt64(), "print(4)");

        var reply = Assert.Single(page.All("article.reply"), r => r.GetAttribute("data-status") == "rejected");
        Assert.Contains("Daily quota of 2 runs reached", reply.QuerySelector("p.run-detail")!.TextContent);
    }

    [Fact]
    public async Task A_person_with_a_quota_of_their_own_gets_that_instead_of_the_default()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var userId = (await api.Person.GetUserAsync()).Id;
        await api.Person.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(p => p.DailyRunQuota, 3)));

        for (var i = 0; i < 3; i++) await api.RunOkAsync($"print({i})");
        using var fourth = await api.RunAsync(new { language = "python", code = "print(4)" });

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Contains("Daily quota of 3 runs", (await fourth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
