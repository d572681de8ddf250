using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Tests.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Cluster;

/// <summary>Session conversations in a cluster: a session lives on one runner, and dies with it.</summary>
public sealed class ClusterSessionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_sessions_messages_all_run_on_the_runner_holding_it_and_when_that_runner_dies_the_conversation_says_its_state_was_lost()
    {
        using var api = await ApiClient.CreateAsync(cluster.Web);
        var userId = (await api.Person.GetUserAsync()).Id;
        var first = await api.RunOkAsync("import os\nx = 41\nprint(os.getuid())");
        var conversationId = first.GetProperty("conversationId").GetInt64();
        var holder = cluster.RunnerOf(int.Parse(first.GetProperty("stdout").GetString()!.Trim(), CultureInfo.InvariantCulture));
        Assert.NotEqual(-1, holder);
        Assert.Equal("started", first.GetProperty("sessionEvent").GetString());

        // Both web instances send to the one session: the state carries over, on the same runner every time.
        using var onOther = ApiClient.WithToken(cluster.OtherWeb, api.Token);
        for (var i = 0; i < 6; i++)
        {
            var via = i % 2 == 0 ? api.Http : onOther;
            using var response = await via.PostAsJsonAsync("/api/runs", new { language = "python", code = "x += 1\nprint(x, os.getuid())", conversationId });
            var run = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("succeeded", run.GetProperty("status").GetString());
            var printed = run.GetProperty("stdout").GetString()!.Split(' ');
            Assert.Equal((42 + i).ToString(CultureInfo.InvariantCulture), printed[0]);
            Assert.Equal(holder, cluster.RunnerOf(int.Parse(printed[1], CultureInfo.InvariantCulture)));
            Assert.Equal("continued", run.GetProperty("sessionEvent").GetString());
        }
        // Every web instance lists the session the runner holds.
        var panel = await PanelAsync(cluster.OtherWeb, userId, conversationId);
        Assert.Single(panel.Sessions);
        Assert.False(panel.StateLost);

        cluster.Runners[holder].Kill();
        // Once its lease runs out its sessions are gone from every listing, and the panel says the state was lost.
        await Eventually.HoldsAsync(async () => (await PanelAsync(cluster.Web, userId, conversationId)).StateLost, TimeSpan.FromSeconds(15),
            "the panel saying the state was lost");

        var after = await api.RunOkAsync("import os\nprint(os.getuid())\nprint(x)", conversationId: conversationId);
        Assert.Equal("failed", after.GetProperty("status").GetString());
        Assert.Contains("NameError", after.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        Assert.Equal("started", after.GetProperty("sessionEvent").GetString());
        Assert.Equal(2, after.GetProperty("sessionGeneration").GetInt32());
        Assert.Equal(1 - holder, cluster.RunnerOf(int.Parse(after.GetProperty("stdout").GetString()!.Trim(), CultureInfo.InvariantCulture)));
        Assert.False((await PanelAsync(cluster.Web, userId, conversationId)).StateLost);
    }

    [Fact]
    public async Task Restart_on_a_web_instance_ends_the_session_on_its_runner_before_the_next_message_runs()
    {
        using var api = await ApiClient.CreateAsync(cluster.Web);
        var first = await api.RunOkAsync("y = 7");
        var conversationId = first.GetProperty("conversationId").GetInt64();

        using var onOther = ApiClient.WithToken(cluster.OtherWeb, api.Token);
        using var restart = await onOther.PostAsync($"/api/conversations/{conversationId}/session/restart", null);
        var after = await api.RunOkAsync("print(y)", conversationId: conversationId);

        Assert.Equal(HttpStatusCode.NoContent, restart.StatusCode);
        Assert.Contains("NameError", after.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, after.GetProperty("sessionGeneration").GetInt32());
    }

    private static async Task<SessionPanel> PanelAsync(ClusterWebFactory web, string userId, long conversationId)
    {
        await using var scope = web.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SessionService>().GetPanelAsync(userId, conversationId))!;
    }
}
