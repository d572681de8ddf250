using System.Text;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>A message's stdin in a session: its up-front stdin, then what is typed, then end of file.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionInputTests(SandboxFixture sandbox)
{
    /// <summary>Sends each piece once the output so far contains its prompt, and ends the input after the last.</summary>
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
    public async Task Python_input_reads_the_up_front_stdin_then_typed_pieces_then_end_of_file()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        var input = new RunInput();
        const string code = """
            import sys
            first = input('a? ')
            print('got', first)
            second = input('b? ')
            print('got', second)
            print('rest', repr(sys.stdin.read()))
            """;

        // Act
        var result = await sessions.RunAsync(
            key, code, stdin: "up-front\n", input: input,
            output: TypeAfterPrompts(input, ("got up-front\nb? ", "typed\n"), ("got typed\n", "more")));
        var next = await sessions.RunAsync(key, "print(first, second)\ninput()");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("a? got up-front\nb? got typed\nrest 'more'\n", result.Stdout);
        Assert.Equal("typed\nmore", result.TypedInput);
        Assert.True(input.HasEnded);
        Assert.Equal(RunStatus.Failed, next.Status);
        Assert.Equal("up-front typed\n", next.Stdout);
        Assert.Contains("EOFError", next.Stderr);
        Assert.Equal(SessionEvent.Continued, next.Session!.Event);
    }

    [Fact]
    public async Task Input_a_message_did_not_read_is_not_seen_by_the_next_one()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var python = new SessionKey("ada", 1, "python");
        var bash = new SessionKey("ada", 1, "bash");
        var big = new string('z', 60_000);

        // Act
        var ignoring = await sessions.RunAsync(python, "print('not reading')", stdin: big);
        var reading = await sessions.RunAsync(python, "import sys\nlen(sys.stdin.read())");
        var bashIgnoring = await sessions.RunAsync(bash, "echo not reading", stdin: big);
        var bashReading = await sessions.RunAsync(bash, "wc -c", stdin: "four");

        // Assert
        Assert.Equal("not reading\n", ignoring.Stdout);
        Assert.Equal("Out[2]: 0\n", reading.Stdout);
        Assert.Equal("not reading\n", bashIgnoring.Stdout);
        Assert.Equal("4\n", bashReading.Stdout);
    }

    [Fact]
    public async Task Bash_read_and_node_readline_get_typed_lines()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var bashInput = new RunInput();
        var nodeInput = new RunInput();
        const string bashCode = """
            read -r a; echo "a=$a"
            read -r b; echo "b=$b"
            if read -r c; then echo "c=$c"; else echo eof; fi
            """;
        const string nodeCode = """
            const rl = require('readline').createInterface({ input: process.stdin });
            rl.on('line', line => console.log('line:' + line));
            rl.on('close', () => console.log('closed'));
            """;

        // Act
        var bash = await sessions.RunAsync(
            new SessionKey("ada", 1, "bash"), bashCode, stdin: "one\n", input: bashInput, output: TypeAfterPrompts(bashInput, ("a=one\n", "two\n")));
        var node = await sessions.RunAsync(
            new SessionKey("ada", 1, "javascript"), nodeCode, stdin: "up-front\n", input: nodeInput,
            output: TypeAfterPrompts(nodeInput, ("line:up-front\n", "typed\n")));

        // Assert
        Assert.Equal(RunStatus.Succeeded, bash.Status);
        Assert.Equal("a=one\nb=two\neof\n", bash.Stdout);
        Assert.Equal("two\n", bash.TypedInput);
        Assert.Equal(RunStatus.Succeeded, node.Status);
        Assert.Equal("line:up-front\nline:typed\nclosed\n", node.Stdout);
        Assert.Equal("typed\n", node.TypedInput);
    }

    [Fact]
    public async Task A_message_waiting_for_input_that_never_comes_is_interrupted_at_the_wall_limit_and_the_session_lives_on()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        var input = new RunInput();

        // Act
        var waiting = await sessions.RunAsync(key, "name = 'kept'\ninput('? ')", input: input, limits: new ExecutionLimits { WallTimeMs = 800 });
        var next = await sessions.RunAsync(key, "name");

        // Assert
        Assert.Equal(RunStatus.TimedOut, waiting.Status);
        Assert.Equal("? ", waiting.Stdout);
        Assert.True(input.HasEnded);
        Assert.Equal("Out[2]: 'kept'\n", next.Stdout);
    }
}
