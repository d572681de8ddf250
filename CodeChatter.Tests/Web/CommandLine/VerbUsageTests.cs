using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Tests.Web.CommandLine;

/// <summary>Help and usage errors of every verb, run as the real binary (neither needs a database or a sandbox).</summary>
public class VerbUsageTests
{
    private static async Task<BufferedCommandResult> RunVerbAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll"), .. args])
            .WithWorkingDirectory(Path.GetTempPath())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
    }

    [Theory]
    [InlineData("exec", "--language")]
    [InlineData("doctor", "probe run")]
    [InlineData("users create", "--password")]
    [InlineData("tokens create", "--name")]
    public async Task Help_on_a_verb_describes_it_and_exits_0(string verb, string expected)
    {
        var result = await RunVerbAsync([.. verb.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Contains("Usage:", result.StandardOutput);
        Assert.Contains(expected, result.StandardOutput);
    }

    [Theory]
    [InlineData("exec --language python --bogus -")]
    [InlineData("doctor --bogus")]
    [InlineData("users create --email a@example.com --password P --bogus")]
    [InlineData("tokens create --email a@example.com --name n --bogus")]
    public async Task An_unknown_option_is_named_and_exits_2(string command)
    {
        var result = await RunVerbAsync(command.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bogus", result.StandardError);
        Assert.Contains("Usage:", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task A_missing_required_option_is_named_and_exits_2()
    {
        var result = await RunVerbAsync("exec", "-");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--language", result.StandardError);
    }
}
