using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>When sessions start and end: idle time, restart, caps, order of messages, server stop.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionLifetimeTests(SandboxFixture sandbox)
{
    private static SessionKey Key(string user, long conversation, string language = "python") => new(user, conversation, language);

    [Fact]
    public async Task A_session_idle_for_the_configured_minutes_is_ended_by_the_clock()
    {
        // Arrange
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero));
        using var sessions = new SessionHarness(sandbox, time);
        var key = Key("ada", 1);
        await sessions.RunAsync(key, "x = 1");

        // Act
        time.Advance(TimeSpan.FromMinutes(sessions.Options.SessionIdleMinutes - 1));
        var liveBefore = sessions.Runner.List().Count;
        time.Advance(TimeSpan.FromMinutes(2));
        var liveAfter = sessions.Runner.List().Count;

        // Assert
        Assert.Equal(1, liveBefore);
        Assert.Equal(0, liveAfter);
        Assert.True(SpinWait.SpinUntil(() => sessions.Runner.IsShutDownComplete, TimeSpan.FromSeconds(10)), "the idle session's box was not ended");
        sandbox.AssertNothingLeftBehind();
        var next = await sessions.RunAsync(key, "'x' in globals()");
        Assert.Equal("Out[1]: False\n", next.Stdout);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), next.Session);
    }

    [Fact]
    public async Task Restart_ends_the_conversations_sessions_and_the_next_message_starts_afresh()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        await sessions.RunAsync(Key("ada", 1), "x = 1");
        await sessions.RunAsync(Key("ada", 1, "bash"), "x=1");
        await sessions.RunAsync(Key("ada", 2), "x = 2");

        // Act
        var ended = await sessions.Runner.EndConversationAsync("ada", 1, SessionEndReason.Restart);
        var next = await sessions.RunAsync(Key("ada", 1), "'x' in globals()");
        var other = await sessions.RunAsync(Key("ada", 2), "x");
        var byId = await sessions.Runner.EndAsync(sessions.Runner.ListFor("ada", 2).Single().Id, SessionEndReason.Admin);
        var again = await sessions.Runner.EndAsync(Guid.NewGuid(), SessionEndReason.Admin);
        var person = await sessions.Runner.EndPersonAsync("ada", SessionEndReason.PersonDisabled);

        // Assert
        Assert.Equal(2, ended);
        Assert.Equal("Out[1]: False\n", next.Stdout);
        Assert.Equal(SessionEvent.Started, next.Session!.Event);
        Assert.Equal("Out[2]: 2\n", other.Stdout);
        Assert.True(byId);
        Assert.False(again);
        Assert.Equal(1, person);
        Assert.Empty(sessions.Runner.List());
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_person_at_their_cap_has_their_least_recently_used_idle_session_evicted()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox, configure: options => options.MaxSessionsPerUser = 2);
        await sessions.RunAsync(Key("ada", 1), "a = 1");
        await sessions.RunAsync(Key("ada", 2), "a = 2");
        await sessions.RunAsync(Key("ada", 1), "a");

        // Act: conversation 2 is the least recently used.
        var third = await sessions.RunAsync(Key("ada", 3), "a = 3");
        var live = sessions.Runner.List().Select(session => session.ConversationId).Order().ToArray();
        var back = await sessions.RunAsync(Key("ada", 2), "'a' in globals()");

        // Assert
        Assert.Equal(RunStatus.Succeeded, third.Status);
        Assert.Equal([1L, 3L], live);
        Assert.Equal("Out[1]: False\n", back.Stdout);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), back.Session);
        Assert.Equal(2, sessions.Runner.List().Count);
    }

    [Fact]
    public async Task When_no_session_can_be_ended_the_message_is_rejected_with_a_retry_time()
    {
        // Arrange: one session per person, two on the machine.
        using var sessions = new SessionHarness(sandbox, configure: options =>
        {
            options.MaxSessionsPerUser = 1;
            options.MaxSessions = 2;
        });
        var busy = sessions.RunAsync(Key("ada", 1), "import time\ntime.sleep(2)\nprint('done')");
        Assert.True(SpinWait.SpinUntil(() => sessions.Runner.List().Any(session => session.IsBusy), TimeSpan.FromSeconds(10)));
        await sessions.RunAsync(Key("bob", 1), "b = 1");

        // Act
        var adaSecond = await sessions.RunAsync(Key("ada", 2), "print(1)");
        var carol = await sessions.RunAsync(Key("carol", 1), "print(1)");
        var finished = await busy;

        // Assert: ada's only session is busy, and bob's idle one is not carol's to take.
        Assert.Equal(RunStatus.Rejected, adaSecond.Status);
        Assert.NotNull(adaSecond.RetryAfter);
        Assert.Null(adaSecond.Session);
        Assert.Equal(RunStatus.Rejected, carol.Status);
        Assert.Equal("done\n", finished.Stdout);
        Assert.Equal(2, sessions.Runner.List().Count);
    }

    [Fact]
    public async Task Messages_of_one_session_run_one_at_a_time_in_the_order_they_arrived()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("ada", 1);

        // Act: sent together, without waiting for each other.
        var first = sessions.RunAsync(key, "import time\ntime.sleep(0.3)\nlog = [1]");
        var second = sessions.RunAsync(key, "log.append(2)");
        var third = sessions.RunAsync(key, "log");
        var results = await Task.WhenAll(first, second, third);

        // Assert
        Assert.All(results, result => Assert.Equal(RunStatus.Succeeded, result.Status));
        Assert.Equal("Out[3]: [1, 2]\n", results[2].Stdout);
        Assert.Equal([1, 2, 3], results.Select(result => result.Session!.Counter));
        Assert.True(results[1].StartedAt >= results[0].FinishedAt, "the second message started before the first had ended");
    }

    [Fact]
    public async Task The_live_list_reports_memory_counters_and_times()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("ada", 1);
        var first = await sessions.RunAsync(key, "data = bytearray(b'x' * (20 << 20))");
        await sessions.RunAsync(key, "len(data)");

        // Act
        var info = sessions.Runner.ListFor("ada", 1).Single();

        // Assert
        Assert.Equal("python", info.LanguageId);
        Assert.Equal(1, info.Generation);
        Assert.Equal(2, info.MessagesRun);
        Assert.False(info.IsBusy);
        Assert.True(info.LastActiveAt >= info.StartedAt);
        if (sandbox.Sandbox.HasMemoryCgroup)
        {
            Assert.InRange(info.MemoryBytes!.Value, 20L << 20, 200L << 20);
            Assert.True(first.PeakMemoryBytes >= 20L << 20);
        }
    }

    [Fact]
    public async Task Disposing_the_runner_ends_every_session_and_leaves_nothing()
    {
        // Arrange: sessions with background work of their own.
        var sessions = new SessionHarness(sandbox);
        await sessions.RunAsync(Key("ada", 1, "bash"), "sleep 300 &");
        await sessions.RunAsync(Key("ada", 1, "javascript"), "globalThis.t = setInterval(() => {}, 1000); null");
        await sessions.RunAsync(Key("bob", 1), "import threading, time\nthreading.Thread(target=lambda: time.sleep(300), daemon=True).start()");
        Assert.Equal(3, sessions.Runner.List().Count);
        Assert.NotEmpty(sandbox.TasksInRunCgroupsExceptWaiting());

        // Act
        sessions.Dispose();
        var afterwards = await sessions.RunAsync(Key("ada", 1), "print(1)");

        // Assert
        Assert.Empty(sessions.Runner.List());
        sandbox.AssertNothingLeftBehind();
        Assert.Equal(RunStatus.Rejected, afterwards.Status);
    }
}

/// <summary>Without bubblewrap (a development machine) the runner offers no sessions; callers run messages fresh.</summary>
public sealed class SessionRunnerWithoutBubblewrapTests
{
    [Fact]
    public async Task Without_bubblewrap_no_language_has_sessions_and_messages_are_rejected()
    {
        // Arrange
        var options = SandboxFixture.LoadWebOptions();
        options.PrestartedSandboxesPerLanguage = 0;
        options.RunDirectory = Path.Combine(Path.GetTempPath(), $"codechatter-test-runs-{Guid.NewGuid():N}");
        var wrapped = new Microsoft.Extensions.Options.OptionsWrapper<ExecutionOptions>(options);
        var languages = new LanguageCatalog(wrapped);
        var environment = CodeChatter.Core.Execution.Sandbox.SandboxEnvironment.DetectWithoutBubblewrap();
        using var executor = new SandboxedExecutor(wrapped, languages, environment, Microsoft.Extensions.Logging.Abstractions.NullLogger<SandboxedExecutor>.Instance);
        using var runner = new SessionRunner(executor, environment, languages, wrapped, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SessionRunner>.Instance);

        // Act
        var result = await runner.ExecuteAsync(
            new SessionKey("ada", 1, "python"), new ExecutionRequest("python", "print(1)"), _ => Task.FromResult(1));

        // Assert
        Assert.False(runner.Supports("python"));
        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Equal(SandboxLevel.Unsandboxed, result.SandboxLevel);
        Assert.Empty(runner.List());
        Directory.Delete(options.RunDirectory, recursive: true);
    }
}
