using System.Globalization;
using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>The pool's refill takes only the CPU that runs and requests leave over.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PrestartPriorityTests(SandboxFixture sandbox)
{
    [Fact]
    public void Waiting_boxes_wait_below_normal_priority_when_the_server_can_raise_them_again()
    {
        // Arrange: a root server gives each box a uid of its own, so it can raise that box alone at hand-over.
        var expected = sandbox.Sandbox.RunningAsRoot ? 19 : 0;

        // Act
        var niceness = sandbox.WaitingSandboxes()
            .SelectMany(box => UidSlots.ProcessesOwnedBy(box.Uid))
            .Select(NicenessOf)
            .ToArray();

        // Assert
        Assert.NotEmpty(niceness);
        Assert.All(niceness, value => Assert.Equal(expected, value));
    }

    // Field 19 of /proc/PID/stat, counted after the command name's closing parenthesis (it may hold spaces).
    private static int NicenessOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
