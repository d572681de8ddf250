using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>What a session keeps between a conversation's messages, per language.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionStateTests(SandboxFixture sandbox)
{
    private static SessionKey Key(string language, string user = "ada", long conversation = 1) => new(user, conversation, language);

    [Fact]
    public async Task Python_keeps_imports_and_names_and_shows_the_last_expression_as_Out()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("python");

        // Act
        var first = await sessions.RunAsync(key, "import math");
        var second = await sessions.RunAsync(key, "x = math.pi");
        var third = await sessions.RunAsync(key, "x * 2");
        var fourth = await sessions.RunAsync(key, "print(_ / 2)\nNone");

        // Assert
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(new SessionRunInfo(1, 1, SessionEvent.Started), first.Session);
        Assert.Equal(new SessionRunInfo(1, 2, SessionEvent.Continued), second.Session);
        Assert.Equal("", second.Stdout);
        Assert.Equal(RunStatus.Succeeded, third.Status);
        Assert.Equal("Out[3]: 6.283185307179586\n", third.Stdout);
        Assert.Equal(new SessionRunInfo(1, 3, SessionEvent.Continued), third.Session);
        Assert.Equal("3.141592653589793\n", fourth.Stdout);
        Assert.Equal(SandboxLevel.Bubblewrap, third.SandboxLevel);
        Assert.Equal(1, sessions.GenerationsOf(1));
    }

    [Fact]
    public async Task Python_files_in_the_scratch_folder_survive_and_tracebacks_show_the_cell_without_the_driver()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("python");

        // Act
        await sessions.RunAsync(key, "open('notes.txt', 'w').write('kept')\nimport os\nos.makedirs('pkg', exist_ok=True)\nopen('pkg/helper.py','w').write('def twice(n): return 2 * n')");
        var read = await sessions.RunAsync(key, "import os\nprint(os.getcwd(), open('notes.txt').read())\nfrom pkg.helper import twice\ntwice(21)");
        var failing = await sessions.RunAsync(key, "def f():\n    return 1 / 0\nf()");
        var exit = await sessions.RunAsync(key, "import sys\nsys.exit(4)");
        var after = await sessions.RunAsync(key, "print('still here', twice(2))");

        // Assert
        Assert.Equal("/box kept\nOut[2]: 42\n", read.Stdout);
        Assert.Equal(RunStatus.Failed, failing.Status);
        Assert.Equal(1, failing.ExitCode);
        Assert.Equal(
            "Traceback (most recent call last):\n  File \"In[3]\", line 3, in <module>\n    f()\n" +
            "  File \"In[3]\", line 2, in f\n    return 1 / 0\n           ~~^~~\nZeroDivisionError: division by zero\n",
            failing.Stderr, ignoreLineEndingDifferences: true);
        Assert.Equal(RunStatus.Failed, exit.Status);
        Assert.Equal(4, exit.ExitCode);
        Assert.Equal(SessionEvent.Continued, exit.Session!.Event);
        Assert.Equal("still here 4\n", after.Stdout);
        Assert.Equal(SessionEvent.Continued, after.Session!.Event);
    }

    [Fact]
    public async Task JavaScript_keeps_top_level_let_const_and_functions()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("javascript");

        // Act
        var first = await sessions.RunAsync(key, "let count = 1; const base = 10; function total() { return base + count; }");
        var second = await sessions.RunAsync(key, "count += 5; console.log(total());");
        var third = await sessions.RunAsync(key, "const fs = require('fs'); fs.writeFileSync('f.txt', String(total())); console.log(fs.readFileSync('f.txt', 'utf8'), process.cwd())");
        var failing = await sessions.RunAsync(key, "null.x");
        var after = await sessions.RunAsync(key, "console.log(count)");

        // Assert
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(SessionEvent.Started, first.Session!.Event);
        Assert.Equal("16\n", second.Stdout);
        Assert.Equal("16 /box\n", third.Stdout);
        Assert.Equal(RunStatus.Failed, failing.Status);
        Assert.Contains("TypeError: Cannot read properties of null", failing.Stderr);
        Assert.Contains("at In[4]:1", failing.Stderr);
        Assert.DoesNotContain("node:vm", failing.Stderr);
        Assert.Equal("6\n", after.Stdout);
        Assert.Equal(new SessionRunInfo(1, 5, SessionEvent.Continued), after.Session);
    }

    [Fact]
    public async Task JavaScript_waits_for_its_timers_and_process_exit_ends_the_session()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("javascript");

        // Act
        var timers = await sessions.RunAsync(key, "setTimeout(() => console.log('later'), 100); console.log('now')");
        var exit = await sessions.RunAsync(key, "process.exit(3)");
        var next = await sessions.RunAsync(key, "console.log(typeof timers)");

        // Assert
        Assert.Equal("now\nlater\n", timers.Stdout);
        Assert.Equal(RunStatus.Failed, exit.Status);
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal(SessionEvent.EndedByExit, exit.Session!.Event);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), next.Session);
    }

    [Fact]
    public async Task Bash_keeps_variables_functions_and_the_working_directory_and_exit_ends_the_session()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = Key("bash");

        // Act
        await sessions.RunAsync(key, "greeting=hello\ngreet() { echo \"$greeting $1\"; }\nmkdir -p sub && cd sub && echo data > file");
        var second = await sessions.RunAsync(key, "greet world; pwd; cat file");
        var failing = await sessions.RunAsync(key, "false");
        var exit = await sessions.RunAsync(key, "echo bye; exit 5");
        var next = await sessions.RunAsync(key, "echo \"[$greeting]\"; pwd");

        // Assert
        Assert.Equal("hello world\n/box/sub\ndata\n", second.Stdout);
        Assert.Equal(RunStatus.Failed, failing.Status);
        Assert.Equal(1, failing.ExitCode);
        Assert.Equal(SessionEvent.Continued, failing.Session!.Event);
        Assert.Equal("bye\n", exit.Stdout);
        Assert.Equal(5, exit.ExitCode);
        Assert.Equal(SessionEvent.EndedByExit, exit.Session!.Event);
        Assert.Equal("[]\n/box\n", next.Stdout);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), next.Session);
    }

    [Fact]
    public async Task Languages_without_a_driver_are_not_supported_and_are_rejected()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);

        // Act
        var result = await sessions.RunAsync(Key("c"), "int main(void) { return 0; }");

        // Assert
        Assert.True(sessions.Runner.Supports("python"));
        Assert.True(sessions.Runner.Supports("bash"));
        Assert.False(sessions.Runner.Supports("c"));
        Assert.Equal(RunStatus.Rejected, result.Status);
        Assert.Null(result.Session);
    }
}
