using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// The executor as people reach it from a terminal: <c>dotnet CodeChatter.Web.dll exec|doctor</c>, run
/// as a real child process with the Web project's appsettings.json beside it.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class CommandLineVerbTests
{
    private readonly SandboxFixture sandbox;

    public CommandLineVerbTests(SandboxFixture sandbox)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = false;
    }

    private static readonly string WebDll = Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll");

    // The child gets the tests' slot uids and a run folder of its own (environment variables override
    // appsettings.json), so it never shares a uid with a server on this machine: each kills
    // everything its slot uid owns after a run.
    private Dictionary<string, string?> ChildEnvironment() => new()
    {
        ["Execution__SandboxUidBase"] = sandbox.Options.SandboxUidBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Execution__RunDirectory"] = sandbox.RunRoot,
    };

    [Fact]
    public async Task Exec_runs_a_snippet_from_stdin_and_prints_the_result_as_JSON()
    {
        // Arrange
        sandbox.RequireBubblewrap();
        sandbox.RequireLanguage("python");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Act
        var result = await Cli.Wrap("dotnet")
            .WithArguments([WebDll, "exec", "--language", "python", "-"])
            .WithWorkingDirectory(Path.GetTempPath())
            .WithEnvironmentVariables(ChildEnvironment())
            .WithStandardInputPipe(PipeSource.FromString("print(1)\n"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);

        // Assert
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("1\n", json.RootElement.GetProperty("stdout").GetString());
        Assert.Equal("", json.RootElement.GetProperty("stderr").GetString());
        Assert.Equal("bubblewrap", json.RootElement.GetProperty("sandboxLevel").GetString());
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Doctor_finds_runs_isolated_on_this_machine()
    {
        // Arrange
        sandbox.RequireBubblewrap();
        sandbox.RequireLanguage("python");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // Act
        var result = await Cli.Wrap("dotnet")
            .WithArguments([WebDll, "doctor"])
            .WithWorkingDirectory(Path.GetTempPath())
            .WithEnvironmentVariables(ChildEnvironment())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);

        // Assert
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardOutput} {result.StandardError}");
        Assert.Contains("Runs are isolated", result.StandardOutput);
        Assert.DoesNotContain("[FAIL]", result.StandardOutput);
        Assert.Matches(@"\[ ?ok ?\]\s+seccomp filter: \d+ calls denied", result.StandardOutput);
        Assert.Matches(@"\[ ?ok ?\]\s+denied system calls", result.StandardOutput);
        Assert.Matches(@"\[ ?ok ?\]\s+packages python: numpy \d+\.\d+[^,]*, pandas \d+\.\d+[^,]*, matplotlib \d+\.\d+", result.StandardOutput);
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("bash", "sleep {0}\n")]
    [InlineData("c", "#include <unistd.h>\nint main(void) {{ execl(\"/bin/sleep\", \"sleep\", \"{0}\", (char *)0); return 1; }}\n")]
    public async Task A_box_dies_with_a_server_killed_mid_run_and_the_next_start_removes_its_cgroups(string language, string template)
    {
        // Arrange: a box that sleeps under a name no other process has.
        sandbox.RequireBubblewrap();
        sandbox.RequireLanguage(language);
        var marker = $"{Random.Shared.Next(100, 999)}.{Environment.ProcessId}{Random.Shared.Next(1000, 9999)}";
        var source = Path.Combine(Path.GetTempPath(), $"codechatter-test-{Guid.NewGuid():N}.src");
        await File.WriteAllTextAsync(source, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var server = Cli.Wrap("dotnet")
                .WithArguments([WebDll, "exec", "--language", language, source])
                .WithWorkingDirectory(Path.GetTempPath())
                .WithEnvironmentVariables(ChildEnvironment())
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
            Assert.True(SpinWait.SpinUntil(() => SleepersWith(marker).Count > 0, TimeSpan.FromSeconds(30)), "the box never started sleeping");
            var groupsOfServer = RunGroupsOf(SleepersWith(marker)[0]);
            Assert.NotEmpty(groupsOfServer);

            // Act: SIGKILL to the server alone, as the OOM killer or an operator's kill -9 would.
            CodeChatter.Core.Execution.Sandbox.NativeMethods.KillHard(server.ProcessId);
            await server;

            // Assert: every process of the box died with the server...
            Assert.True(SpinWait.SpinUntil(() => SleepersWith(marker).Count == 0, TimeSpan.FromSeconds(3)),
                $"the box outlived the server: {string.Join(", ", SleepersWith(marker))}");
            // ...and the next start of the executor removes what the killed server left in the cgroup tree.
            var next = await Cli.Wrap("dotnet")
                .WithArguments([WebDll, "exec", "--language", "bash", "-"])
                .WithWorkingDirectory(Path.GetTempPath())
                .WithEnvironmentVariables(ChildEnvironment())
                .WithStandardInputPipe(PipeSource.FromString("echo next\n"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
            Assert.Contains("\"stdout\":\"next\\n\"", next.StandardOutput);
            Assert.All(groupsOfServer, group => Assert.False(Directory.Exists(group), $"{group} was left behind"));
            sandbox.AssertNothingLeftBehind();
        }
        finally
        {
            File.Delete(source);
            foreach (var pid in SleepersWith(marker)) System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    private static List<int> SleepersWith(string marker)
    {
        var found = new List<int>();
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(process, "cmdline"));
                if (commandLine == $"sleep\0{marker}\0" || commandLine == $"/bin/sleep\0{marker}\0") found.Add(pid);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>The run cgroup folders a process of a box is in, in every hierarchy (read from /proc).</summary>
    private static List<string> RunGroupsOf(int pid)
    {
        var unified = Directory.Exists("/sys/fs/cgroup/unified") ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
        return File.ReadAllLines($"/proc/{pid}/cgroup")
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3 && parts[2].Contains("/codechatter-runs/", StringComparison.Ordinal) || parts[2].Contains("/run-p", StringComparison.Ordinal))
            .Select(parts => (parts[1].Length == 0 ? unified : Path.Combine("/sys/fs/cgroup", parts[1].Replace("name=", "", StringComparison.Ordinal))) + parts[2])
            .ToList();
    }
}
