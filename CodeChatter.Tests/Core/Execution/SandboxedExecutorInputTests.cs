using System.Text;
using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// Typed input for fresh runs: the up-front stdin first, then each piece typed while the run is in
/// flight, then end of file; without typed input stdin ends right after the up-front bytes.
/// </summary>
/// <remarks>Runs twice: once on cold sandboxes, once on pre-started ones.</remarks>
public abstract class SandboxedExecutorInputTests
{
    private readonly SandboxFixture sandbox;

    protected SandboxedExecutorInputTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    /// <summary>
    /// Sends each piece once the run has printed the prompt before it (so the piece really arrives
    /// while the run waits for it), then ends the input.
    /// </summary>
    private static Action<OutputChunk> TypeAfterPrompts(RunInput input, params (string Prompt, string Typed)[] script)
    {
        var seen = new StringBuilder();
        var next = 0;
        return chunk =>
        {
            lock (seen)
            {
                if (chunk.Stream != OutputStream.Stdout) return;
                seen.Append(chunk.Text);
                while (next < script.Length && seen.ToString().Contains(script[next].Prompt, StringComparison.Ordinal))
                {
                    input.Send(script[next].Typed);
                    next++;
                    if (next == script.Length) input.End();
                }
            }
        };
    }

    [Fact]
    public async Task Python_reads_the_up_front_stdin_then_each_typed_piece_then_end_of_file()
    {
        // Arrange
        var input = new RunInput();
        const string code = """
            import sys
            print("got", input("a? "))
            print("got", input("b? "))
            print("rest", repr(sys.stdin.read()))
            """;
        var output = TypeAfterPrompts(input, ("got first\nb? ", "second\n"), ("got second\n", "third"));

        // Act
        var result = await sandbox.RunAsync("python", code, stdin: "first\n", output: output, input: input);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("a? got first\nb? got second\nrest 'third'\n", result.Stdout);
        Assert.Equal("second\nthird", result.TypedInput);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Bash_read_waits_for_typed_lines()
    {
        // Arrange
        var input = new RunInput();
        const string code = """
            read -r a; echo "a=$a"
            read -r b; echo "b=$b"
            if read -r c; then echo "c=$c"; else echo "eof"; fi
            """;
        var output = TypeAfterPrompts(input, ("a=one\n", "two\n"));

        // Act
        var result = await sandbox.RunAsync("bash", code, stdin: "one\n", output: output, input: input);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("a=one\nb=two\neof\n", result.Stdout);
        Assert.Equal("two\n", result.TypedInput);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Node_readline_gets_typed_lines()
    {
        // Arrange
        var input = new RunInput();
        const string code = """
            const rl = require('readline').createInterface({ input: process.stdin });
            rl.on('line', line => console.log('line:' + line));
            rl.on('close', () => console.log('closed'));
            """;
        var output = TypeAfterPrompts(input, ("line:up-front\n", "typed\n"));

        // Act
        var result = await sandbox.RunAsync("javascript", code, stdin: "up-front\n", output: output, input: input);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("line:up-front\nline:typed\nclosed\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Without_typed_input_stdin_ends_right_after_the_up_front_bytes()
    {
        // Act
        var result = await sandbox.RunAsync("python", "import sys; print(repr(sys.stdin.read()))", stdin: "abc");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("'abc'\n", result.Stdout);
        Assert.Equal("", result.TypedInput);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_run_that_never_reads_ends_on_its_own_and_its_input_is_closed()
    {
        // Arrange: nobody ends this input.
        var input = new RunInput();

        // Act
        var result = await sandbox.RunAsync("python", "print('done')", input: input);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("done\n", result.Stdout);
        Assert.True(input.HasEnded);
        Assert.False(input.Send("too late"));
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_run_waiting_for_input_that_never_comes_stops_at_the_wall_limit_with_what_it_printed()
    {
        // Arrange
        var input = new RunInput();

        // Act
        var result = await sandbox.RunAsync(
            "python", "print('waiting', flush=True)\ninput()", limits: new ExecutionLimits { WallTimeMs = 700 }, input: input);

        // Assert
        Assert.Equal(RunStatus.TimedOut, result.Status);
        Assert.Equal("waiting\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartSandboxedExecutorInputTests(SandboxFixture sandbox) : SandboxedExecutorInputTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedSandboxedExecutorInputTests(SandboxFixture sandbox) : SandboxedExecutorInputTests(sandbox, prestarted: true);
