using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>What well-behaved snippets get back: their output, exit codes and errors, exactly.</summary>
/// <remarks>Runs twice: once on cold sandboxes, once on pre-started ones (same isolation, same limits).</remarks>
public abstract class SandboxedExecutorTests
{
    private readonly SandboxFixture sandbox;

    protected SandboxedExecutorTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    [Fact]
    public async Task A_snippet_prints_to_stdout()
    {
        // Act
        var result = await sandbox.RunAsync("python", "print('hello')");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.Equal("hello\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.False(result.StdoutTruncated);
        Assert.Equal(SandboxLevel.Bubblewrap, result.SandboxLevel);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Stdout_and_stderr_are_kept_apart()
    {
        // Arrange
        const string code = """
            import sys
            print('to out')
            print('to err', file=sys.stderr)
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("to out\n", result.Stdout);
        Assert.Equal("to err\n", result.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("python", "import sys; sys.exit(3)", 3)]
    [InlineData("bash", "exit 42", 42)]
    [InlineData("javascript", "process.exit(7)", 7)]
    public async Task A_non_zero_exit_code_is_a_failed_run_with_that_code(string language, string code, int exitCode)
    {
        // Act
        var result = await sandbox.RunAsync(language, code);

        // Assert
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Null(result.Signal);
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData(137)]
    [InlineData(152)]
    public async Task Exiting_with_a_code_that_looks_like_a_kill_is_reported_as_that_exit_code(int exitCode)
    {
        // Act: 137 and 152 are what bubblewrap reports for SIGKILL and SIGXCPU.
        var result = await sandbox.RunAsync("python", $"import sys; sys.exit({exitCode})");

        // Assert
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Null(result.Signal);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Output_of_threads_and_exit_handlers_is_kept_and_sys_exit_codes_behave_as_in_python()
    {
        // Arrange: what a Python program does after its last line must happen on every start path.
        var code = """
            import atexit, sys, threading, time
            atexit.register(lambda: print("atexit ran"))
            def late():
                time.sleep(0.2)
                print("thread done")
            threading.Thread(target=late).start()
            sys.exit(258)
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);
        var withMessage = await sandbox.RunAsync("python", "import sys; sys.exit('bad input')");

        // Assert
        Assert.Equal("thread done\natexit ran\n", result.Stdout);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(RunStatus.Failed, withMessage.Status);
        Assert.Equal(1, withMessage.ExitCode);
        Assert.Equal("bad input\n", withMessage.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_snippet_reads_its_stdin()
    {
        // Act
        var result = await sandbox.RunAsync("python", "import sys; print(sys.stdin.read().upper(), end='')", stdin: "line one\nline two\n");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("LINE ONE\nLINE TWO\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Unicode_in_code_stdin_and_output_survives_the_round_trip()
    {
        // Arrange
        const string text = "héllo wörld ✓ 中文 😀";

        // Act
        var result = await sandbox.RunAsync("python", $"import sys\nprint('{text}')\nprint(sys.stdin.read())", stdin: text);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal($"{text}\n{text}\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Invalid_UTF_8_becomes_replacement_characters_and_NUL_bytes_are_kept()
    {
        // Arrange
        const string code = """
            import sys
            sys.stdout.buffer.write(b'a\xffb\x00c\xc3(\n')
            sys.stderr.buffer.write(b'\x00err\xfe\n')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("a\uFFFDb\0c\uFFFD(\n", result.Stdout);
        Assert.Equal("\0err\uFFFD\n", result.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task An_empty_snippet_succeeds_with_no_output()
    {
        // Act
        var result = await sandbox.RunAsync("python", "");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_snippet_over_the_size_limit_is_rejected_counting_UTF_8_bytes()
    {
        // Arrange: fewer characters than the limit, but more bytes.
        var code = "#" + new string('é', sandbox.Options.MaxCodeBytes / 2);
        Assert.True(code.Length < sandbox.Options.MaxCodeBytes);

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Contains($"the limit is {sandbox.Options.MaxCodeBytes:N0}", result.Detail);
        Assert.Equal("", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_snippet_at_the_size_limit_runs()
    {
        // Arrange
        var code = "print(1)#" + new string('x', sandbox.Options.MaxCodeBytes - 9);

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("1\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Stdin_over_the_limit_is_rejected()
    {
        // Arrange
        var stdin = new string('a', sandbox.Options.MaxStdinBytes + 1);

        // Act
        var result = await sandbox.RunAsync("python", "print(1)", stdin: stdin);

        // Assert
        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Contains($"The input is {sandbox.Options.MaxStdinBytes + 1:N0} bytes", result.Detail);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task An_unknown_language_is_rejected()
    {
        // Act
        var result = await sandbox.RunAsync("cobol", "DISPLAY 'HELLO'.");

        // Assert
        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Contains("cobol", result.Detail);
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("python", "print('Hello, world!')")]
    [InlineData("javascript", "console.log('Hello, world!');")]
    [InlineData("bash", "echo 'Hello, world!'")]
    [InlineData("c", "#include <stdio.h>\nint main(void) { puts(\"Hello, world!\"); return 0; }\n")]
    public async Task Hello_world_runs_in_each_language(string language, string code)
    {
        // Act
        var result = await sandbox.RunAsync(language, code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        Assert.Equal("Hello, world!\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_C_compile_error_fails_with_gccs_message_in_stderr()
    {
        // Arrange
        const string code = "int main(void) {\n    return undeclared_thing;\n}\n";

        // Act
        var result = await sandbox.RunAsync("c", code);

        // Assert
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("main.c:2", result.Stderr);
        Assert.Contains("error:", result.Stderr);
        Assert.Contains("undeclared_thing", result.Stderr);
        Assert.Equal("", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_C_program_that_crashes_is_reported_killed_by_its_signal()
    {
        // Arrange
        const string code = "#include <stdio.h>\nint main(void) {\n    puts(\"before\");\n    fflush(stdout);\n    volatile int *p = 0;\n    *p = 1;\n    return 0;\n}\n";

        // Act
        var result = await sandbox.RunAsync("c", code);

        // Assert
        Assert.Equal(RunStatus.Killed, result.Status);
        Assert.Equal(11, result.Signal);
        Assert.Null(result.ExitCode);
        Assert.Equal("before\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_Python_traceback_shows_the_snippets_own_line_numbers_and_source()
    {
        // Arrange
        const string code = """
            def divide(a, b):
                return a / b

            print(divide(1, 0))
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Traceback (most recent call last):", result.Stderr);
        Assert.Contains("main.py\", line 4, in <module>", result.Stderr);
        Assert.Contains("    print(divide(1, 0))", result.Stderr);
        Assert.Contains("main.py\", line 2, in divide", result.Stderr);
        Assert.Contains("    return a / b", result.Stderr);
        Assert.Contains("ZeroDivisionError: division by zero", result.Stderr);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_snippet_runs_as_an_unprivileged_slot_uid_alone_in_its_own_pid_namespace()
    {
        // Act
        var result = await sandbox.RunAsync("python", "import os\nprint(os.getuid(), os.geteuid(), os.getgid(), os.getpid(), [p for p in os.listdir('/proc') if p.isdigit()])");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        var fields = result.Stdout.Split(' ', 5);
        if (sandbox.Sandbox.RunningAsRoot)
        {
            Assert.InRange(int.Parse(fields[0]), sandbox.Options.SandboxUidBase, sandbox.Options.SandboxUidBase + 199);
            Assert.Equal(fields[0], fields[1]);
            Assert.Equal(fields[0], fields[2]);
        }
        Assert.NotEqual("0", fields[1]);
        Assert.Equal("1 ['1']\n", $"{fields[3]} {fields[4]}");
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("python", "import os; print(os.nice(0))")]
    [InlineData("bash", "nice")]
    public async Task A_snippet_runs_at_normal_cpu_priority(string language, string code)
    {
        // Act: a pre-started box waits below normal priority and is raised as its run is handed over.
        var result = await sandbox.RunAsync(language, code);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("0\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Cancelling_a_run_kills_it_and_keeps_its_output_so_far()
    {
        // Arrange
        using var stop = new CancellationTokenSource();
        var printed = new StringBuilder();
        // Unbuffered print() writes the text and its newline separately: wait for the whole line.
        void CancelOnceStarted(OutputChunk chunk)
        {
            lock (printed)
            {
                printed.Append(chunk.Text);
                if (printed.ToString().Contains("started\n", StringComparison.Ordinal)) stop.Cancel();
            }
        }

        // Act
        var result = await sandbox.RunAsync(
            "python", "import time\nprint('started')\ntime.sleep(1000)", new ExecutionLimits { WallTimeMs = 5000 },
            output: CancelOnceStarted, cancellationToken: stop.Token);

        // Assert
        Assert.Equal(RunStatus.Killed, result.Status);
        Assert.Equal("started\n", result.Stdout);
        Assert.True(result.WallTimeMs < 3000, $"took {result.WallTimeMs} ms");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Fifty_concurrent_runs_each_get_exactly_their_own_output()
    {
        // Arrange
        var numbers = Enumerable.Range(1, 50).ToArray();
        var prestartedBefore = sandbox.PrestartedRunCount;

        // Act: fifty at once drain the pool, so which of them find a waiting box depends on how fast it refills.
        var results = await Task.WhenAll(numbers.Select(n => sandbox.RunAsync("python", $"print('run-{n}', {n} * 7)", checkHandOver: false)));

        // Assert
        foreach (var (n, result) in numbers.Zip(results))
        {
            Assert.True(result.Status == RunStatus.Succeeded, $"run {n}: {result.Status} {result.Detail} {result.Stderr}");
            Assert.Equal($"run-{n} {n * 7}\n", result.Stdout);
            Assert.Equal("", result.Stderr);
        }
        // On the pre-started path the waiting boxes served some of them (at least the ones waiting at the start).
        if (sandbox.UsePrestarted) Assert.True(sandbox.PrestartedRunCount > prestartedBefore, "no run was served by a pre-started sandbox");
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Printing_one_number_takes_measurable_time_under_a_second()
    {
        // Act
        var result = await sandbox.RunAsync("python", "print(1)");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.InRange(result.WallTimeMs, 1, 999);
        Assert.True(result.FinishedAt >= result.StartedAt);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Live_output_chunks_add_up_to_the_stored_stdout_and_stderr()
    {
        // Arrange: a character split across two writes must not be mangled in either view; the pause
        // before it is long enough that even a busy test host reads what came before it separately.
        const string code = """
            import sys, time
            for i in range(5):
                print('out', i, 'é€😀')
                sys.stderr.write(f'err {i} ü\n')
                sys.stderr.flush()
                time.sleep(0.02)
            time.sleep(1)
            sys.stdout.buffer.write(b'split \xc3')
            sys.stdout.flush()
            time.sleep(0.3)
            sys.stdout.buffer.write(b'\xa9 done\n')
            """;
        var chunks = new ConcurrentQueue<OutputChunk>();
        var clock = Stopwatch.StartNew();
        var arrivals = new ConcurrentQueue<string>();
        void Watch(OutputChunk chunk)
        {
            chunks.Enqueue(chunk);
            arrivals.Enqueue($"{chunk.Stream} at {clock.ElapsedMilliseconds} ms");
        }

        // Act
        var result = await sandbox.RunAsync("python", code, output: Watch);

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.EndsWith("split é done\n", result.Stdout);
        Assert.Contains("err 4 ü\n", result.Stderr);
        var live = chunks.ToArray();
        Assert.True(live.Count(chunk => chunk.Stream == OutputStream.Stdout) > 1,
            $"stdout should arrive live, in several chunks; they came: {string.Join(", ", arrivals)}; the run ended at {clock.ElapsedMilliseconds} ms");
        Assert.Equal(result.Stdout, Concatenate(live, OutputStream.Stdout));
        Assert.Equal(result.Stderr, Concatenate(live, OutputStream.Stderr));
        sandbox.AssertNothingLeftBehind();
    }

    private static string Concatenate(IEnumerable<OutputChunk> chunks, OutputStream stream) =>
        chunks.Where(chunk => chunk.Stream == stream)
            .Aggregate(new StringBuilder(), (text, chunk) => text.Append(chunk.Text))
            .ToString();
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartSandboxedExecutorTests(SandboxFixture sandbox) : SandboxedExecutorTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedSandboxedExecutorTests(SandboxFixture sandbox) : SandboxedExecutorTests(sandbox, prestarted: true);
