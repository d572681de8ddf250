using System.Globalization;
using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>The pool's refill takes only the CPU that runs and requests leave over.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PrestartPriorityTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task A_box_started_while_another_waits_waits_below_normal_priority_when_the_server_can_raise_it_again()
    {
        // Arrange: a run takes one of the two waiting Python boxes; its replacement starts while the other waits.
        // A root server gives each box a uid of its own, so it can raise that box alone at hand-over.
        sandbox.UsePrestarted = true;
        var result = await sandbox.RunAsync("python", "print(1)");

        // Act
        var niceness = sandbox.WaitingSandboxes()
            .SelectMany(box => UidSlots.ProcessesOwnedBy(box.Uid))
            .Select(NicenessOf)
            .ToArray();

        // Assert
        Assert.Equal("1\n", result.Stdout);
        Assert.NotEmpty(niceness);
        if (sandbox.Sandbox.RunningAsRoot)
        {
            // Boxes started while none of their language waited (at start-up, after a burst) start at normal priority.
            Assert.Contains(19, niceness);
            Assert.All(niceness, value => Assert.True(value is 0 or 19, $"nice {value}"));
        }
        else
        {
            Assert.All(niceness, value => Assert.Equal(0, value));
        }
    }

    [Fact]
    public async Task A_box_that_waited_below_normal_priority_runs_its_snippet_at_normal_priority()
    {
        // Arrange: the pool keeps two Python boxes; by the third run in a row, each taken once the pool was full
        // again, the box handed over is one started while another waited, so it waited at nice 19 (on a root server).
        sandbox.UsePrestarted = true;
        var niceness = new List<string>();

        // Act
        for (var run = 0; run < 3; run++)
        {
            sandbox.WaitingSandboxes();
            niceness.Add((await sandbox.RunAsync("python", "import os; print(os.nice(0))")).Stdout);
        }

        // Assert
        Assert.Equal(["0\n", "0\n", "0\n"], niceness);
    }

    // Field 19 of /proc/PID/stat, counted after the command name's closing parenthesis (it may hold spaces).
    private static int NicenessOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
