namespace CodeChatter.Core.Execution;

/// <summary>
/// What happened to a run. One vocabulary everywhere: database, pages, API and command line
/// all use the snake_case names from <see cref="RunStatusNames"/>.
/// </summary>
public enum RunStatus
{
    /// <summary>The program exited with code 0.</summary>
    Succeeded,
    /// <summary>The program exited with a non-zero code (a compile error, an uncaught exception).</summary>
    Failed,
    /// <summary>The wall-clock or CPU-time limit was reached and the run was stopped.</summary>
    TimedOut,
    /// <summary>The run used more memory than its limit and was killed.</summary>
    MemoryLimit,
    /// <summary>The run printed more than its output cap; what came before the cap is kept.</summary>
    OutputLimit,
    /// <summary>The run ended on a signal other than a limit, or was stopped by a person.</summary>
    Killed,
    /// <summary>The run was refused before it started: bad input, quota or a full queue.</summary>
    Rejected,
    /// <summary>The sandbox itself failed. Never the snippet's fault.</summary>
    InternalError,
}

/// <summary>Converts <see cref="RunStatus"/> to and from its wire name (<c>timed_out</c>, ...).</summary>
public static class RunStatusNames
{
    private static readonly Dictionary<RunStatus, string> Names = new()
    {
        [RunStatus.Succeeded] = "succeeded",
        [RunStatus.Failed] = "failed",
        [RunStatus.TimedOut] = "timed_out",
        [RunStatus.MemoryLimit] = "memory_limit",
        [RunStatus.OutputLimit] = "output_limit",
        [RunStatus.Killed] = "killed",
        [RunStatus.Rejected] = "rejected",
        [RunStatus.InternalError] = "internal_error",
    };

    private static readonly Dictionary<string, RunStatus> ByName =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Values.ToArray();

    /// <summary>The wire name of a status, such as <c>timed_out</c>.</summary>
    public static string ToWireName(this RunStatus status) => Names[status];

    /// <summary>Parses a wire name; returns false for anything else.</summary>
    public static bool TryParse(string? name, out RunStatus status) =>
        ByName.TryGetValue(name ?? "", out status);
}
