using System.Diagnostics;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>
/// Per-message limits interrupt the message and keep the session; a session that ignores the
/// interrupt is killed a second later; the session's memory limit ends it.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionLimitTests(SandboxFixture sandbox)
{
    private static readonly ExecutionLimits OneSecond = new() { WallTimeMs = 1000 };

    [Fact]
    public async Task Python_over_the_wall_limit_gets_KeyboardInterrupt_and_keeps_its_state()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "x = 41");

        // Act
        var looping = await sessions.RunAsync(key, "print('looping', flush=True)\nwhile True: pass", limits: OneSecond);
        var after = await sessions.RunAsync(key, "x + 1");

        // Assert
        Assert.Equal(RunStatus.TimedOut, looping.Status);
        Assert.Equal("looping\n", looping.Stdout);
        Assert.Contains("KeyboardInterrupt", looping.Stderr);
        Assert.Contains("File \"In[2]\"", looping.Stderr);
        Assert.Equal("interrupted at the wall-clock limit (1 s); the session kept its state", looping.Detail);
        Assert.Equal(new SessionRunInfo(1, 2, SessionEvent.Continued), looping.Session);
        Assert.InRange(looping.WallTimeMs, 950, 1900);
        Assert.Equal("Out[3]: 42\n", after.Stdout);
        Assert.Equal(new SessionRunInfo(1, 3, SessionEvent.Continued), after.Session);
    }

    [Fact]
    public async Task A_session_that_ignores_the_interrupt_is_killed_a_second_later_and_the_next_message_starts_a_new_generation()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "kept = 1");

        // Act
        var stubborn = await sessions.RunAsync(key, "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('ignoring', flush=True)\nwhile True: pass", limits: OneSecond);
        var next = await sessions.RunAsync(key, "'kept' in globals()");

        // Assert
        Assert.Equal(RunStatus.TimedOut, stubborn.Status);
        Assert.Equal("ignoring\n", stubborn.Stdout);
        Assert.Equal(SessionEvent.KilledStateLost, stubborn.Session!.Event);
        Assert.Contains("the session was restarted and its state lost", stubborn.Detail);
        Assert.InRange(stubborn.WallTimeMs, 1900, 4000);
        Assert.Equal("Out[1]: False\n", next.Stdout);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), next.Session);
        Assert.Equal(2, sessions.GenerationsOf(1));
    }

    [Fact]
    public async Task Stop_interrupts_the_message_and_the_session_keeps_its_state()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "y = 'still here'");
        using var stop = new CancellationTokenSource();

        // Act: stopped once it has shown it runs.
        var stopped = await sessions.RunAsync(
            key, "import time\nprint('ready', flush=True)\nwhile True: time.sleep(0.02)",
            output: chunk => { if (chunk.Text.Contains("ready", StringComparison.Ordinal)) stop.Cancel(); },
            cancellationToken: stop.Token);
        var after = await sessions.RunAsync(key, "y");

        // Assert
        Assert.Equal(RunStatus.Killed, stopped.Status);
        Assert.Equal("interrupted; the session kept its state", stopped.Detail);
        Assert.Equal("ready\n", stopped.Stdout);
        Assert.Contains("KeyboardInterrupt", stopped.Stderr);
        Assert.Equal(SessionEvent.Continued, stopped.Session!.Event);
        Assert.Equal("Out[3]: 'still here'\n", after.Stdout);
    }

    [Fact]
    public async Task The_CPU_limit_counts_this_message_only_and_interrupts_it()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        // Earlier work in the session does not count against the next message.
        await sessions.RunAsync(key, "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass");

        // Act
        var spinning = await sessions.RunAsync(key, "while True: pass", limits: new ExecutionLimits { CpuTimeMs = 300, WallTimeMs = 5000 });
        var quick = await sessions.RunAsync(key, "print('quick')");

        // Assert
        Assert.Equal(RunStatus.TimedOut, spinning.Status);
        Assert.Equal("interrupted at the CPU-time limit (0.3 s); the session kept its state", spinning.Detail);
        Assert.InRange(spinning.CpuTimeMs!.Value, 300, 1500);
        Assert.True(spinning.WallTimeMs < 2500, $"took {spinning.WallTimeMs} ms");
        Assert.Equal(RunStatus.Succeeded, quick.Status);
        Assert.InRange(quick.CpuTimeMs!.Value, 0, 100);
        Assert.Equal(SessionEvent.Continued, quick.Session!.Event);
    }

    [Fact]
    public async Task The_output_cap_applies_per_message_and_keeps_what_came_before_it()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");

        // Act
        var flooding = await sessions.RunAsync(key, "while True: print('x' * 99)", limits: new ExecutionLimits { MaxOutputBytesPerStream = 2000 });
        var next = await sessions.RunAsync(key, "print('y' * 1500)", limits: new ExecutionLimits { MaxOutputBytesPerStream = 2000 });

        // Assert
        Assert.Equal(RunStatus.OutputLimit, flooding.Status);
        Assert.True(flooding.StdoutTruncated);
        Assert.Equal(2000, flooding.Stdout.Length);
        Assert.StartsWith(new string('x', 99) + "\n", flooding.Stdout);
        Assert.Equal(SessionEvent.Started, flooding.Session!.Event);
        Assert.Equal(SessionEvent.Continued, next.Session!.Event);
        Assert.Equal(RunStatus.Succeeded, next.Status);
        Assert.Equal(new string('y', 1500) + "\n", next.Stdout);
        Assert.False(next.StdoutTruncated);
    }

    [Fact]
    public async Task JavaScript_and_Bash_loops_are_interrupted_and_keep_their_state()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var js = new SessionKey("ada", 1, "javascript");
        var bash = new SessionKey("ada", 1, "bash");

        // Act
        var jsLoop = await sessions.RunAsync(js, "let k = 5; while (true) {}", limits: OneSecond);
        var jsAfter = await sessions.RunAsync(js, "console.log(k)");
        var bashLoop = await sessions.RunAsync(bash, "n=3; while true; do :; done", limits: OneSecond);
        var bashSleep = await sessions.RunAsync(bash, "sleep 30; echo after-sleep", limits: OneSecond);
        var bashAfter = await sessions.RunAsync(bash, "echo $n");

        // Assert
        Assert.Equal(RunStatus.TimedOut, jsLoop.Status);
        Assert.Equal(SessionEvent.Started, jsLoop.Session!.Event);
        Assert.Equal(new SessionRunInfo(1, 2, SessionEvent.Continued), jsAfter.Session);
        Assert.Contains("SIGINT", jsLoop.Stderr);
        Assert.Equal("5\n", jsAfter.Stdout);
        Assert.Equal(RunStatus.TimedOut, bashLoop.Status);
        Assert.Equal(SessionEvent.Started, bashLoop.Session!.Event);
        Assert.Equal(RunStatus.TimedOut, bashSleep.Status);
        Assert.Equal(SessionEvent.Continued, bashSleep.Session!.Event);
        Assert.Equal("", bashSleep.Stdout);
        Assert.InRange(bashSleep.WallTimeMs, 950, 1900);
        Assert.Equal("3\n", bashAfter.Stdout);
        // The conversation's second session (its JavaScript one was the first).
        Assert.Equal(new SessionRunInfo(2, 3, SessionEvent.Continued), bashAfter.Session);
    }

    [Fact]
    public async Task The_memory_limit_ends_the_session_and_leaves_nothing_alive()
    {
        // Arrange
        sandbox.RequireMemoryCgroup();
        using var sessions = new SessionHarness(sandbox, configure: options => options.MemoryLimitBytes = 64L * 1024 * 1024);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "import subprocess\nchild = subprocess.Popen(['sleep', '300'])\nkept = 1");

        // Act
        var hungry = await sessions.RunAsync(key, "blocks = []\nprint('eating', flush=True)\nwhile True: blocks.append(bytearray(b'x' * (4 << 20)))");

        // Assert
        Assert.Equal(RunStatus.MemoryLimit, hungry.Status);
        Assert.Equal("eating\n", hungry.Stdout);
        Assert.Equal(SessionEvent.EndedByMemory, hungry.Session!.Event);
        Assert.Contains("state was lost", hungry.Detail);
        Assert.Empty(sessions.Runner.List());
        sandbox.AssertNothingLeftBehind();
        var next = await sessions.RunAsync(key, "'kept' in globals()");
        Assert.Equal("Out[1]: False\n", next.Stdout);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), next.Session);
    }
}
