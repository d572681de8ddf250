using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// Snippets that try to hurt the server or see what they should not. Each must end by a limit, and
/// afterwards nothing of the run may remain on the host. Limits are kept small so each takes a second or two.
/// </summary>
/// <remarks>Runs twice: once on cold sandboxes, once on pre-started ones (same isolation, same limits).</remarks>
public abstract class SandboxedExecutorHostileSnippetTests
{
    private readonly SandboxFixture sandbox;

    protected SandboxedExecutorHostileSnippetTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task An_infinite_loop_is_stopped_by_the_CPU_limit()
    {
        // Arrange
        var limits = new ExecutionLimits { CpuTimeMs = 500, WallTimeMs = 5000 };

        // Act
        var result = await sandbox.RunAsync("python", "print('spinning')\nwhile True: pass", limits);

        // Assert
        Assert.Equal(RunStatus.TimedOut, result.Status);
        Assert.Contains("CPU-time", result.Detail);
        Assert.Equal("spinning\n", result.Stdout);
        Assert.True(result.WallTimeMs < 3000, $"the CPU limit, not the wall clock, should stop it; took {result.WallTimeMs} ms");
        Assert.True(result.CpuTimeMs >= 500, $"CPU time {result.CpuTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_long_sleep_is_stopped_by_the_wall_clock_and_keeps_what_it_printed()
    {
        // Arrange
        var limits = new ExecutionLimits { WallTimeMs = 1000 };
        const string code = "import time\nprint('before the sleep')\ntime.sleep(1000)\nprint('after the sleep')";

        // Act
        var result = await sandbox.RunAsync("python", code, limits);

        // Assert
        Assert.Equal(RunStatus.TimedOut, result.Status);
        Assert.Contains("wall-clock", result.Detail);
        Assert.Equal("before the sleep\n", result.Stdout);
        // Timers may fire a millisecond early; the upper bound has room for a loaded machine and is
        // still far below the 1000 s the snippet asked for.
        Assert.InRange(result.WallTimeMs, 950, 3000);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_fork_bomb_is_contained()
    {
        // Arrange
        var limits = new ExecutionLimits { MaxProcesses = 32, CpuTimeMs = 1000, WallTimeMs = 3000 };
        const string code = "import os\nwhile True:\n    os.fork()";

        // Act
        var result = await sandbox.RunAsync("python", code, limits);

        // Assert: the process limit refuses forks; the box ends when the refusal reaches its pid 1
        // (failed) or, if the refusals keep landing in its children, at the CPU limit.
        Assert.True(result.Status is RunStatus.Failed or RunStatus.TimedOut, $"{result.Status}: {result.Stderr[..Math.Min(500, result.Stderr.Length)]}");
        if (result.Status == RunStatus.Failed) Assert.Contains("BlockingIOError: [Errno 11] Resource temporarily unavailable", result.Stderr);
        else Assert.Contains("CPU-time", result.Detail);
        Assert.True(result.WallTimeMs < 3500, $"took {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_fork_bomb_that_catches_its_errors_and_keeps_trying_is_contained()
    {
        // Arrange
        var limits = new ExecutionLimits { MaxProcesses = 32, CpuTimeMs = 1000, WallTimeMs = 3000 };
        const string code = """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, limits);

        // Assert
        Assert.Equal(RunStatus.TimedOut, result.Status);
        Assert.True(result.WallTimeMs < 3500, $"took {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task One_huge_allocation_hits_the_memory_limit()
    {
        // Arrange
        sandbox.RequireMemoryCgroup();
        var limits = new ExecutionLimits { MemoryBytes = 64 * MiB, WallTimeMs = 5000 };

        // Act
        var result = await sandbox.RunAsync("python", "block = bytearray(1024 * 1024 * 1024)\nprint('allocated')", limits);

        // Assert
        Assert.Equal(RunStatus.MemoryLimit, result.Status);
        Assert.Equal("", result.Stdout);
        Assert.True(result.PeakMemoryBytes <= 64 * MiB, $"peak {result.PeakMemoryBytes} bytes");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Many_children_each_allocating_are_bounded_together()
    {
        // Arrange: each child stays under the limit, together they are far over it.
        sandbox.RequireMemoryCgroup();
        var limits = new ExecutionLimits { MemoryBytes = 64 * MiB, WallTimeMs = 5000 };
        const string code = """
            import os, time
            children = []
            for i in range(8):
                pid = os.fork()
                if pid == 0:
                    block = bytearray(24 * 1024 * 1024)
                    time.sleep(1)
                    os._exit(0)
                children.append(pid)
            for pid in children:
                os.waitpid(pid, 0)
            print('parent done')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, limits);

        // Assert
        Assert.True(result.Status is RunStatus.MemoryLimit or RunStatus.Killed, $"{result.Status}: {result.Stderr}");
        Assert.True(result.PeakMemoryBytes <= 64 * MiB, $"peak {result.PeakMemoryBytes} bytes");
        Assert.True(result.WallTimeMs < 5000, $"took {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("stdout", "import sys\nprint('first line')\nwhile True:\n    sys.stdout.write('x' * 1000)")]
    [InlineData("stderr", "import sys\nprint('first line', file=sys.stderr)\nwhile True:\n    sys.stderr.write('x' * 1000)")]
    public async Task An_output_flood_is_cut_at_the_cap_and_keeps_what_came_before(string stream, string code)
    {
        // Arrange
        const int cap = 4096;
        var limits = new ExecutionLimits { MaxOutputBytesPerStream = cap, WallTimeMs = 5000 };

        // Act
        var result = await sandbox.RunAsync("python", code, limits);

        // Assert
        Assert.Equal(RunStatus.OutputLimit, result.Status);
        var (flooded, truncated, other, otherTruncated) = stream == "stdout"
            ? (result.Stdout, result.StdoutTruncated, result.Stderr, result.StderrTruncated)
            : (result.Stderr, result.StderrTruncated, result.Stdout, result.StdoutTruncated);
        Assert.True(truncated);
        Assert.Equal(cap, Encoding.UTF8.GetByteCount(flooded));
        Assert.Equal("first line\n" + new string('x', cap - "first line\n".Length), flooded);
        Assert.False(otherTruncated);
        Assert.Equal("", other);
        Assert.True(result.WallTimeMs < 3000, $"took {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Filling_the_scratch_directory_and_tmp_fails_inside_the_box_only()
    {
        // Arrange
        const string code = """
            import errno
            for path in ['/box/fill', '/tmp/fill', '/dev/shm/fill', '/fill', '/usr/fill']:
                written = 0
                try:
                    with open(path, 'wb', buffering=0) as f:
                        while True:
                            written += f.write(b'\0' * (1024 * 1024))
                except OSError as e:
                    print(path, errno.errorcode[e.errno], written // (1024 * 1024))
            """;
        var maxMiB = sandbox.Options.ScratchSpaceBytes / MiB;

        // Act
        var result = await sandbox.RunAsync("python", code, new ExecutionLimits { WallTimeMs = 8000 });

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        foreach (var line in lines[..3])
        {
            var fields = line.Split(' ');
            Assert.True(fields[1] is "ENOSPC" or "EFBIG", line);
            Assert.InRange(long.Parse(fields[2]), 0, maxMiB);
        }
        Assert.Equal("/fill EROFS 0", lines[3]);
        Assert.Equal("/usr/fill EROFS 0", lines[4]);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task The_box_cannot_connect_to_a_listener_on_the_hosts_loopback_or_to_the_outside()
    {
        // Arrange
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var code = $"""
            import socket
            for host, port in [('127.0.0.1', {port}), ('1.1.1.1', 53)]:
                try:
                    socket.create_connection((host, port), timeout=1).close()
                    print(host, 'connected')
                except OSError as e:
                    print(host, 'failed')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("127.0.0.1 failed\n1.1.1.1 failed\n", result.Stdout);
        Assert.False(listener.Pending(), "the host's listener saw a connection from the box");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task The_box_cannot_read_etc_shadow()
    {
        // Arrange
        const string code = """
            import os
            print(os.path.exists('/etc/shadow'), os.path.exists('/etc/passwd'))
            try:
                print(open('/etc/shadow').read())
            except OSError as e:
                print(type(e).__name__)
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("False False\nFileNotFoundError\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task The_box_cannot_see_the_apps_database_file()
    {
        // Arrange
        var secret = $"secret-marker-{Guid.NewGuid():N}";
        var database = Path.Combine(Path.GetTempPath(), $"codechatter-test-db-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(database, secret);
        try
        {
            var code = $"""
                import os
                path = '{database}'
                print(os.path.exists(path))
                try:
                    print(open(path).read())
                except OSError as e:
                    print(type(e).__name__)
                for root in ['/tmp', '/box', '/proc/1/root/tmp']:
                    for name in os.listdir(root):
                        if 'codechatter' in name: print('found', root, name)
                """;

            // Act
            var result = await sandbox.RunAsync("python", code);

            // Assert
            Assert.Equal(RunStatus.Succeeded, result.Status);
            Assert.Equal("False\nFileNotFoundError\n", result.Stdout);
            Assert.DoesNotContain(secret, result.Stdout + result.Stderr);
            Assert.Equal(secret, await File.ReadAllTextAsync(database));
            sandbox.AssertNothingLeftBehind();
        }
        finally
        {
            File.Delete(database);
        }
    }

    [Fact]
    public async Task The_servers_environment_is_invisible_in_the_box()
    {
        // Arrange
        var name = $"CODECHATTER_TEST_MARKER_{Guid.NewGuid():N}";
        var value = $"server-secret-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, value);
        const string code = """
            import os
            print(open('/proc/1/environ', 'rb').read())
            print(open('/proc/self/environ', 'rb').read())
            print(dict(os.environ))
            for pid in os.listdir('/proc'):
                if pid.isdigit():
                    print(pid, open(f'/proc/{pid}/environ', 'rb').read())
            """;
        try
        {
            // Act
            var result = await sandbox.RunAsync("python", code);

            // Assert
            Assert.Equal(RunStatus.Succeeded, result.Status);
            Assert.Contains("'PATH': '/usr/local/bin:/usr/bin:/bin'", result.Stdout);
            Assert.DoesNotContain(name, result.Stdout + result.Stderr);
            Assert.DoesNotContain(value, result.Stdout + result.Stderr);
            sandbox.AssertNothingLeftBehind();
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Killing_its_parent_ends_the_run_and_leaves_the_server_working()
    {
        // Arrange
        const string code = """
            import os, time
            print('parent is', os.getppid(), flush=True)
            os.kill(os.getppid(), 9)
            if os.fork() == 0:
                os.kill(os.getppid(), 9)
                os._exit(0)
            os.wait()
            print('still here')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, new ExecutionLimits { WallTimeMs = 3000 });
        var next = await sandbox.RunAsync("python", "print(1)");

        // Assert: the box's pid 1 has no parent it can see, and the kernel shields a pid
        // namespace's init from SIGKILL sent from inside it.
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("parent is 0\nstill here\n", result.Stdout);
        Assert.Equal(RunStatus.Succeeded, next.Status);
        Assert.Equal("1\n", next.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Signalling_every_process_reaches_nothing_outside_the_box()
    {
        // Arrange: a host process that must survive, and sleepers inside the box that kill(-1) does reach.
        using var bystander = Process.Start(new ProcessStartInfo("/usr/bin/sleep", "30") { UseShellExecute = false })!;
        const string code = """
            import os, time
            sleepers = []
            for i in range(3):
                pid = os.fork()
                if pid == 0:
                    time.sleep(30)
                    os._exit(0)
                sleepers.append(pid)
            killer = os.fork()
            if killer == 0:
                os.kill(-1, 9)
                os._exit(0)
            os.waitpid(killer, 0)
            print('sleepers:', [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in sleepers])
            try:
                os.kill(-1, 9)
                print('pid 1 signalled something')
            except ProcessLookupError:
                print('pid 1 found nothing left to signal')
            """;
        try
        {
            // Act
            var result = await sandbox.RunAsync("python", code, new ExecutionLimits { WallTimeMs = 3000 });
            var next = await sandbox.RunAsync("python", "print(1)");

            // Assert: the box's own processes die, its pid 1 (shielded by the kernel) and the host do not.
            Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
            Assert.Equal("sleepers: [-9, -9, -9]\npid 1 found nothing left to signal\n", result.Stdout);
            Assert.False(bystander.HasExited, "a host process was killed by a snippet");
            Assert.Equal(RunStatus.Succeeded, next.Status);
            Assert.Equal("1\n", next.Stdout);
            sandbox.AssertNothingLeftBehind();
        }
        finally
        {
            bystander.Kill();
        }
    }

    [Fact]
    public async Task A_double_forked_daemon_does_not_outlive_its_run()
    {
        // Arrange
        const string code = """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    for fd in (0, 1, 2):
                        os.close(fd)
                    time.sleep(1000)
                    os._exit(0)
                os._exit(0)
            time.sleep(0.3)
            print('parent done')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, new ExecutionLimits { WallTimeMs = 5000 });

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("parent done\n", result.Stdout);
        Assert.True(result.WallTimeMs < 3000, $"the run waited for its daemon: {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
        Assert.Empty(sandbox.TasksInRunCgroupsExceptWaiting());
    }

    [Fact]
    public async Task A_symlink_planted_in_the_box_is_never_followed_by_the_host()
    {
        // Arrange
        var database = Path.Combine(Path.GetTempPath(), $"codechatter-test-db-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(database, "database contents");
        var passwdBefore = Fingerprint("/etc/passwd");
        var databaseBefore = Fingerprint(database);
        var code = $"""
            import errno, os
            for target, link in [('/etc/passwd', '/box/passwd'), ('{database}', '/box/app.db'),
                                 ('/etc/passwd', '/tmp/passwd'), ('/etc/passwd', '/box/main-link.py')]:
                os.symlink(target, link)
            try:
                os.remove('/box/main.py')
                os.symlink('/etc/passwd', '/box/main.py')
                print('replaced main.py')
            except OSError as e:
                print('main.py', errno.errorcode[e.errno])
            for name in ['passwd', 'app.db']:
                try:
                    with open('/box/' + name, 'w') as f:
                        f.write('overwritten')
                    print('wrote through', name)
                except OSError as e:
                    print(name, errno.errorcode[e.errno])
            """;
        try
        {
            // Act
            var result = await sandbox.RunAsync("python", code);

            // Assert: inside the box the links lead to the box's own read-only /etc and private /tmp;
            // the host never sees them.
            Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
            // Cold and pre-started boxes alike hold main.py as a copy in their private tmpfs (never a
            // bind of a host file), so replacing it there touches nothing outside.
            Assert.Equal("replaced main.py\npasswd EROFS\nwrote through app.db\n", result.Stdout);
            Assert.Equal(passwdBefore, Fingerprint("/etc/passwd"));
            Assert.Equal(databaseBefore, Fingerprint(database));
            sandbox.AssertNothingLeftBehind();
        }
        finally
        {
            File.Delete(database);
        }
    }

    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        return $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))} {info.Length} {info.LastWriteTimeUtc:O} {File.GetUnixFileMode(path)}";
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartSandboxedExecutorHostileSnippetTests(SandboxFixture sandbox) : SandboxedExecutorHostileSnippetTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedSandboxedExecutorHostileSnippetTests(SandboxFixture sandbox) : SandboxedExecutorHostileSnippetTests(sandbox, prestarted: true);
