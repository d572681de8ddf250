using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Names what a server leaves on the host while it runs (run cgroups, run folders) after the server
/// process itself, so that after a crash the next server can tell what is stale (its server is gone)
/// from what belongs to another server still running on the machine.
/// </summary>
internal static partial class ServerInstance
{
    /// <summary>
    /// This process: its pid and its start time (in clock ticks since boot), so a pid reused by a
    /// later process never makes a dead server's leftovers look alive.
    /// </summary>
    public static string Tag { get; } = TagOf(Environment.ProcessId) ?? $"p{Environment.ProcessId}t0";

    /// <summary>A fresh name for one box: this server's tag and a random part.</summary>
    public static string NewBoxName() => $"{Tag}-{Guid.NewGuid():N}";

    /// <summary>
    /// Whether <paramref name="name"/> was made by a server that no longer runs. Names in no known
    /// shape (made before names carried their server) are never called stale: they may belong to a
    /// server still running.
    /// </summary>
    public static bool IsStale(string name)
    {
        var match = TaggedName().Match(name);
        if (!match.Success) return false;
        var pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
        return TagOf(pid) != $"p{match.Groups["pid"].Value}t{match.Groups["start"].Value}";
    }

    private static string? TagOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may hold spaces; field 22 (start time) counts from the state after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? $"p{pid}t{fields[19]}" : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^p(?<pid>\d{1,10})t(?<start>\d{1,20})-")]
    private static partial Regex TaggedName();
}
