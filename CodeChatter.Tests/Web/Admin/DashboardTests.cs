using CodeChatter.Tests.Web.Api;

namespace CodeChatter.Tests.Web.Admin;

/// <summary>A fresh instance, so the dashboard's figures are exactly the runs this test makes.</summary>
public class DashboardTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task The_dashboard_figures_match_the_runs_made()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var api = await ApiClient.CreateAsync(factory);
        await admin.NewConversationAsync("print('a')");
        await admin.NewConversationAsync("raise SystemExit(3)");
        await api.RunOkAsync("print('b')");
        await api.RunOkAsync("echo c", language: "bash");

        var page = await admin.GetAsync("/Admin");

        string Figure(string name) => page.Single($"[data-figure={name}]").TextContent;
        Assert.Equal("4", Figure("runs-today"));
        Assert.Equal("4", Figure("runs-7-days"));
        Assert.Equal("4", Figure("runs-30-days"));
        Assert.Equal("2", Figure("active-users-7-days"));
        Assert.Equal("25%", Figure("failed-share"));
        Assert.Equal("0%", Figure("timed-out-share"));
        Assert.Equal("0", Figure("queued"));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var day = page.Single($"#runs-per-day tr[data-day='{today}']");
        Assert.Equal("3", day.QuerySelector("[data-status=succeeded]")!.TextContent);
        Assert.Equal("1", day.QuerySelector("[data-status=failed]")!.TextContent);
        Assert.Equal("4", day.QuerySelector("[data-status=total]")!.TextContent);
        Assert.Equal("3", page.Single("#runs-by-language tr[data-language=python] td:last-child").TextContent);
        Assert.Equal("1", page.Single("#runs-by-language tr[data-language=bash] td:last-child").TextContent);
        Assert.Equal(2, page.All("#top-users tbody tr").Count);
        var chart = page.Single("#runs-per-day-chart").GetAttribute("data-chart")!;
        Assert.Contains("\"succeeded\"", chart);
        Assert.Single(page.All("script[src*='admin-dashboard']"));
        Assert.Empty(page.All("script:not([src])"));
    }
}
