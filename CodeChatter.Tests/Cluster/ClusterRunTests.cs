using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Cluster;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using CodeChatter.Tests.Web;
using CodeChatter.Tests.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Cluster;

/// <summary>Runs through a web instance, a real Redis and two runner processes.</summary>
public sealed class ClusterRunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Two_hundred_runs_from_ten_people_spread_over_both_runners_and_each_answer_reaches_its_sender()
    {
        var people = new List<ApiClient>();
        for (var i = 0; i < 10; i++) people.Add(await ApiClient.CreateAsync(cluster.Web));
        try
        {
            // Two lanes a person (the per-person limit), ten runs a lane: 200 runs, each printing its own mark.
            var answers = await Task.WhenAll(people.SelectMany((person, p) => Enumerable.Range(0, 2).Select(async lane =>
            {
                var seen = new List<(string Mark, string Stdout, string Status)>();
                for (var n = 0; n < 10; n++)
                {
                    var mark = $"p{p}l{lane}n{n}-{Guid.NewGuid():N}";
                    using var response = await person.Http.PostAsJsonAsync("/api/runs", new { language = "python", code = $"import os\nprint('{mark}', os.getuid())", mode = "fresh" });
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
                    var run = JsonDocument.Parse(body).RootElement;
                    seen.Add((mark, run.GetProperty("stdout").GetString()!, run.GetProperty("status").GetString()!));
                }
                return seen;
            })));

            var all = answers.SelectMany(lane => lane).ToList();
            Assert.Equal(200, all.Count);
            Assert.All(all, answer => Assert.Equal("succeeded", answer.Status));
            // No cross-talk: every answer is the output of its own snippet.
            Assert.All(all, answer => Assert.StartsWith(answer.Mark + " ", answer.Stdout, StringComparison.Ordinal));
            var runners = all.Select(answer => cluster.RunnerOf(int.Parse(answer.Stdout.Split(' ')[1], CultureInfo.InvariantCulture))).ToList();
            Assert.DoesNotContain(-1, runners);
            Assert.Contains(0, runners);
            Assert.Contains(1, runners);
        }
        finally
        {
            foreach (var person in people) person.Dispose();
        }
    }

    [Fact]
    public async Task Stop_on_the_web_instance_ends_a_run_executing_on_a_runner_as_killed_with_what_it_printed()
    {
        using var person = await ChatClient.RegisterAsync(cluster.Web);
        var userId = (await person.GetUserAsync()).Id;
        var started = await person.WithServicesAsync(services => services.GetRequiredService<RunService>().StartAsync(
            new NewMessage(userId, null, SnippetKind.Code, "python", "import time\nprint('waiting', flush=True)\ntime.sleep(60)", "", ExecutionTrigger.Submit)
            { Mode = ConversationMode.Fresh }));
        var executionId = started!.Stored.ExecutionId!.Value;
        var live = cluster.Web.Services.GetRequiredService<LiveRuns>().Find(executionId, userId)!;
        await WaitUntilAsync(() => live.OutputSoFar().Stdout.Contains("waiting", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var stopping = Stopwatch.StartNew();
        Assert.True(live.Stop());
        var result = await started.Completion!.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunStatus.Killed, result.Status);
        Assert.Equal("waiting\n", result.Stdout);
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_web_instances_run_load_counts_a_run_executing_on_a_runner_until_it_ends()
    {
        using var person = await ChatClient.RegisterAsync(cluster.Web);
        var userId = (await person.GetUserAsync()).Id;
        var load = cluster.Web.Services.GetRequiredService<IRunLoad>();
        Assert.IsType<RedisRunLoad>(load);
        var started = await person.WithServicesAsync(services => services.GetRequiredService<RunService>().StartAsync(
            new NewMessage(userId, null, SnippetKind.Code, "python", "import time\nprint('busy', flush=True)\ntime.sleep(60)", "", ExecutionTrigger.Submit)
            { Mode = ConversationMode.Fresh }));
        var live = cluster.Web.Services.GetRequiredService<LiveRuns>().Find(started!.Stored.ExecutionId!.Value, userId)!;
        await WaitUntilAsync(() => live.OutputSoFar().Stdout.Contains("busy", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        // Executing on a runner: this web instance's own in-process queue holds nothing, yet the load shows it.
        await Eventually.HoldsAsync(() => Task.FromResult(load.Running >= 1), TimeSpan.FromSeconds(10), "the run counted as running");
        Assert.Equal(0, cluster.Web.Services.GetRequiredService<FairRunQueue>().RunningCount);

        Assert.True(live.Stop());
        await started.Completion!.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(() => Task.FromResult(load.Running == 0 && load.Waiting == 0), TimeSpan.FromSeconds(15), "the load back at zero");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout) throw new TimeoutException($"not so after {timeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}

/// <summary>A runner killed with SIGKILL in the middle of a run, in a cluster of its own.</summary>
public sealed class ClusterRunnerDeathTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_runner_killed_mid_run_ends_its_run_as_interrupted_within_ten_seconds_and_the_other_runner_keeps_serving()
    {
        using var person = await ChatClient.RegisterAsync(cluster.Web);
        var userId = (await person.GetUserAsync()).Id;
        var started = await person.WithServicesAsync(services => services.GetRequiredService<RunService>().StartAsync(
            new NewMessage(userId, null, SnippetKind.Code, "python", "import os, time\nprint(os.getuid(), flush=True)\ntime.sleep(60)", "", ExecutionTrigger.Submit)
            { Mode = ConversationMode.Fresh }));
        var executionId = started!.Stored.ExecutionId!.Value;
        var live = cluster.Web.Services.GetRequiredService<LiveRuns>().Find(executionId, userId)!;
        await ClusterRunTests.WaitUntilAsync(() => live.OutputSoFar().Stdout.EndsWith('\n'), TimeSpan.FromSeconds(20));
        var runner = cluster.RunnerOf(int.Parse(live.OutputSoFar().Stdout.Trim(), CultureInfo.InvariantCulture));
        Assert.NotEqual(-1, runner);

        var killed = Stopwatch.StartNew();
        cluster.Runners[runner].Kill();
        var result = await started.Completion!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.InternalError, result.Status);
        Assert.Equal(RunService.InterruptedDetail, result.Detail);
        Assert.InRange(killed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        // The row says so too, as any page will read it.
        var stored = await person.WithServicesAsync(services => services.GetRequiredService<CodeChatter.Core.Chat.Reading.IRunQueries>().FindAsync(userId, executionId));
        Assert.Equal(RunStatus.InternalError, stored!.Status);

        // The other runner takes the next runs.
        using var api = await ApiClient.CreateAsync(cluster.Web);
        using var response = await api.Http.PostAsJsonAsync("/api/runs", new { language = "python", code = "import os\nprint(os.getuid())", mode = "fresh" });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1 - runner, cluster.RunnerOf(int.Parse(run.GetProperty("stdout").GetString()!.Trim(), CultureInfo.InvariantCulture)));
    }
}

/// <summary>Two web instances of one cluster: a run sent on one is watched and stopped on the other.</summary>
public sealed class ClusterTwoWebInstancesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_run_sent_on_one_web_instance_streams_live_on_the_other_and_Stop_there_ends_it_on_its_runner()
    {
        var cookies = new CookieContainer();
        using var onA = Client(cluster.Web, cookies);
        using var onB = Client(cluster.OtherWeb, cookies);
        var registered = await onA.PostFormAsync("/Identity/Account/Register", "form#registerForm", new()
        {
            ["Input.Email"] = $"{Guid.NewGuid():N}@example.com", ["Input.Password"] = ChatClient.Password, ["Input.ConfirmPassword"] = ChatClient.Password,
        });
        Assert.NotNull(registered.Document.QuerySelector("form#sign-out"));
        var chat = await onA.PostFormAsync("/Conversations/New", "form#compose", new() { ["Input.Language"] = "python", ["Input.Code"] = "print(1)", ["Mode"] = "fresh" });
        var form = chat.Single("form#compose");
        form.SetAttribute("action", form.GetAttribute("data-start-url")!);
        var answer = await onA.PostFormAsync(chat, "form#compose", new()
        {
            ["Input.Language"] = "python",
            ["Input.Code"] = "import time\nfor i in range(60):\n    print('tick', i, flush=True)\n    time.sleep(0.25)\ntime.sleep(60)",
        });
        using var started = JsonDocument.Parse(answer.Html);
        var executionId = started.RootElement.GetProperty("executionId").GetInt64();
        var eventsUrl = started.RootElement.GetProperty("eventsUrl").GetString()!;

        // Web B relays it: the output so far from the row, then ticks printed after it began watching.
        using var request = new HttpRequestMessage(HttpMethod.Get, eventsUrl);
        using var response = await onB.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new System.Text.StringBuilder();
        var watching = Stopwatch.StartNew();
        string? line;
        while ((line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20))) is not null && !seen.ToString().Contains("tick 20", StringComparison.Ordinal))
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"text\"", StringComparison.Ordinal))
            {
                seen.Append(JsonDocument.Parse(line[6..]).RootElement.GetProperty("text").GetString());
            }
        }
        Assert.Contains("tick 20", seen.ToString(), StringComparison.Ordinal);

        // Stop on web B: the runner running it kills it and stores it as killed.
        var page = await onB.GetAsync($"/Conversations/{chat.ConversationId}");
        var stopped = await onB.PostFormAsync(page, $"#execution-{executionId} form.stop-form");
        Assert.Equal(HttpStatusCode.OK, stopped.Status);
        var end = "";
        while ((line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20))) is not null)
        {
            if (line == "event: end") end = (await reader.ReadLineAsync())!;
        }
        Assert.StartsWith("data: ", end, StringComparison.Ordinal);
        Assert.Equal("killed", JsonDocument.Parse(end[6..]).RootElement.GetProperty("status").GetString());
        Assert.InRange(watching.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(40));
    }

    private static ChatClient Client(ChatAppFactory factory, CookieContainer cookies) =>
        ChatClient.Remote(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true }) { BaseAddress = factory.ServerAddress });
}
