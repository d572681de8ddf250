namespace CodeChatter.Core.Execution;

/// <summary>What a run produced. Partial output is always kept, whatever the status.</summary>
public sealed record ExecutionResult
{
    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The exit code, or null when the run ended on a signal or never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the run (9 for SIGKILL), or null.</summary>
    public int? Signal { get; init; }

    /// <summary>Standard output, decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Standard error, decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string Stderr { get; init; } = "";

    /// <summary>Whether stdout reached its cap and the rest was dropped.</summary>
    public bool StdoutTruncated { get; init; }

    /// <summary>Whether stderr reached its cap and the rest was dropped.</summary>
    public bool StderrTruncated { get; init; }

    /// <summary>Wall-clock time from the moment the program was started to its end.</summary>
    public long WallTimeMs { get; init; }

    /// <summary>CPU time of every process of the run, where the machine can account for it.</summary>
    public long? CpuTimeMs { get; init; }

    /// <summary>Peak memory of the run, where the machine can account for it.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>How the run was isolated.</summary>
    public SandboxLevel SandboxLevel { get; init; }

    /// <summary>A short, human-readable reason for rejected, internal_error and stopped runs.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// For a run refused by admission (quota, full queue): how long until a new attempt may succeed.
    /// Not stored; it only travels back to the caller that asked for the run.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Where the run ran in its conversation's session; null for a fresh-sandbox run.</summary>
    public Sessions.SessionRunInfo? Session { get; init; }

    /// <summary>What the person typed while the run was in flight (interactive input); empty when nothing.</summary>
    public string TypedInput { get; init; } = "";

    /// <summary>Plots, tables and values the run displayed, in order (Python); empty when none.</summary>
    public IReadOnlyList<RichOutput> Outputs { get; init; } = [];

    /// <summary>What rich output was left out past the per-message caps, in words; null when nothing was.</summary>
    public string? OutputsOmitted { get; init; }

    /// <summary>When the program was started (or the request refused).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>
    /// Whether the place the run executed stores its row's end (a cluster's runner stores what it ran, and ends
    /// what it cannot finish as interrupted): whoever asked for the run must not store this result over it.
    /// Never crosses the wire itself.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool StoredWhereItRan { get; init; }

    /// <summary>A result for a request refused before anything ran.</summary>
    /// <param name="detail">Why it was refused.</param>
    /// <param name="level">The isolation runs would have had.</param>
    /// <param name="at">When it was refused: both its start and its end.</param>
    public static ExecutionResult Rejected(string detail, SandboxLevel level, DateTimeOffset at) => new()
    {
        Status = RunStatus.Rejected, Detail = detail, SandboxLevel = level, StartedAt = at, FinishedAt = at,
    };
}
