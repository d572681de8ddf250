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
        sandbox.AssertNothingLeftBehind();
    }
}
