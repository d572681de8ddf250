using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>
/// The driver shares its process with the person's code, which can print end markers or read the
/// message's nonce. That may only ever spoil that person's own reply in that session.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionForgeryTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task A_marker_with_a_wrong_nonce_is_plain_output()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        const string code = """
            import sys
            sys.stdout.write('\0CC-END:00112233445566778899AABB:0\n')
            sys.stderr.write('\0CC-END:garbage:x\n')
            print('after')
            """;

        // Act
        var result = await sessions.RunAsync(key, code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("\0CC-END:00112233445566778899AABB:0\nafter\n", result.Stdout);
        Assert.Equal("\0CC-END:garbage:x\n", result.Stderr);
    }

    [Fact]
    public async Task A_snippet_that_forges_its_own_end_only_cuts_its_own_reply_short()
    {
        // Arrange: a neighbour's session runs at the same time.
        using var sessions = new SessionHarness(sandbox);
        var forger = new SessionKey("mallory", 1, "python");
        var neighbour = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(neighbour, "total = 0");
        const string forge = """
            import os, sys, time
            frame = sys._getframe()
            while 'nonce' not in frame.f_locals:
                frame = frame.f_back
            nonce = frame.f_locals['nonce']
            print('before', flush=True)
            os.write(2, b'\0CC-END:' + nonce + b':0\n')
            os.write(1, b'\0CC-END:' + nonce + b':0\n')
            time.sleep(0.5)
            print('hidden')
            """;

        // Act
        var neighbourRun = sessions.RunAsync(neighbour, "import time\nfor i in range(5):\n    total += i\n    time.sleep(0.1)\nprint(total)");
        var forged = await sessions.RunAsync(forger, forge);
        var forgerNext = await sessions.RunAsync(forger, "print('next')");
        var neighbourResult = await neighbourRun;

        // Assert: the forger's reply ended early, as if it had ended.
        Assert.Equal(RunStatus.Succeeded, forged.Status);
        Assert.Equal("before\n", forged.Stdout);
        Assert.DoesNotContain("hidden", forged.Stdout);
        // Its next message runs once the old one really ended; the stale marker is plain text there.
        Assert.Equal(RunStatus.Succeeded, forgerNext.Status);
        Assert.EndsWith("next\n", forgerNext.Stdout);
        Assert.Equal(new SessionRunInfo(1, 2, SessionEvent.Continued), forgerNext.Session);
        // The neighbour saw none of it.
        Assert.Equal(RunStatus.Succeeded, neighbourResult.Status);
        Assert.Equal("10\n", neighbourResult.Stdout);
        Assert.Equal("", neighbourResult.Stderr);
    }

    [Fact]
    public async Task A_bash_message_cannot_read_the_sessions_control_stream()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "bash");
        await sessions.RunAsync(key, "kept=yes");

        // Act
        var stealing = await sessions.RunAsync(key, "cat <&3; echo \"status $?\"");
        var next = await sessions.RunAsync(key, "echo $kept");

        // Assert
        Assert.Contains("Bad file descriptor", stealing.Stderr);
        Assert.Equal("status 1\n", stealing.Stdout);
        Assert.Equal("yes\n", next.Stdout);
        Assert.Equal(new SessionRunInfo(1, 3, SessionEvent.Continued), next.Session);
    }

    [Fact]
    public async Task Output_printed_between_messages_is_dropped()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "import threading, time\ndef late():\n    time.sleep(0.3)\n    print('late')\nthreading.Thread(target=late).start()");

        // Act
        await Task.Delay(600);
        var next = await sessions.RunAsync(key, "print('now')");

        // Assert
        Assert.Equal("now\n", next.Stdout);
    }
}
