using System.Diagnostics;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using Xunit.Abstractions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>A message in a live session costs pipe writes and a few cgroup reads, not an interpreter start.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionSpeedTests(SandboxFixture sandbox, ITestOutputHelper log)
{
    [Fact]
    public async Task A_print_in_a_live_Python_session_answers_faster_than_a_bare_python_start()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "print(0)");
        for (var i = 0; i < 20; i++) await sessions.RunAsync(key, "print(1)");
        var bare = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var clock = Stopwatch.StartNew();
            using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "print(1)"]) { RedirectStandardOutput = true })!;
            await python.StandardOutput.ReadToEndAsync();
            await python.WaitForExitAsync();
            bare.Add(clock.Elapsed.TotalMilliseconds);
        }

        // Act
        var session = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await sessions.RunAsync(key, "print(1)");
            session.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal("1\n", result.Stdout);
        }

        // Assert: the target is half a bare start; the bound here leaves room for a busy shared machine.
        var (sessionMedian, sessionP95) = (Percentile(session, 0.5), Percentile(session, 0.95));
        var bareMedian = Percentile(bare, 0.5);
        log.WriteLine($"session print(1): median {sessionMedian:0.00} ms, p95 {sessionP95:0.00} ms over 200; bare python3 -c: median {bareMedian:0.00} ms, p95 {Percentile(bare, 0.95):0.00} ms over 30");
        Assert.True(sessionMedian < bareMedian, $"session median {sessionMedian:0.00} ms, bare python start {bareMedian:0.00} ms");
    }

    private static double Percentile(List<double> values, double share)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(share * sorted.Length))];
    }
}
