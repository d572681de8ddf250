using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Data.Entities;

/// <summary>
/// The robot's reply: one run of a snippet. A row is written when the run starts (with
/// <see cref="FinishedAt"/> null and the status <c>internal_error</c>/"interrupted"), and completed when it
/// ends, so a run cut off by a server stop is never lost and already says what happened to it.
/// </summary>
public class Execution
{
    public long Id { get; set; }
    public long SnippetId { get; set; }
    public Snippet? Snippet { get; set; }

    /// <summary>
    /// The owner of the snippet's conversation, copied here so that one person's runs can be listed and
    /// counted from an index without joining through snippets and conversations. Set when the row is
    /// created (a conversation never changes owner); see <see cref="OwnershipQueries"/>.
    /// </summary>
    public string OwnerId { get; set; } = "";

    public ExecutionTrigger Trigger { get; set; }
    public DateTime StartedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Null while the run is in flight.</summary>
    public DateTime? FinishedAt { get; set; }

    public RunStatus Status { get; set; } = RunStatus.InternalError;
    public int? ExitCode { get; set; }
    public int? Signal { get; set; }
    public string Stdout { get; set; } = "";
    public string Stderr { get; set; } = "";
    public bool StdoutTruncated { get; set; }
    public bool StderrTruncated { get; set; }
    public long WallTimeMs { get; set; }
    public long? CpuTimeMs { get; set; }
    public long? PeakMemoryBytes { get; set; }
    public SandboxLevel SandboxLevel { get; set; }
    public string? Detail { get; set; } = RunService.InterruptedDetail;

    /// <summary>The conversation's session generation it ran in; null when it ran fresh (or is in flight).</summary>
    public int? SessionGeneration { get; set; }

    /// <summary>Its execution counter within that session, from 1; null when it ran fresh.</summary>
    public int? ExecutionCounter { get; set; }

    /// <summary>What it did to its session, stored as its wire name; null when it ran fresh.</summary>
    public SessionEvent? SessionEvent { get; set; }

    /// <summary>What the person typed into it while it was in flight; empty when nothing.</summary>
    public string TypedInput { get; set; } = "";

    /// <summary>What rich output was left out past the per-message caps, in words; null when nothing was.</summary>
    public string? OutputsOmitted { get; set; }

    /// <summary>The plots, tables and values it displayed, stored in a table of their own.</summary>
    public List<ExecutionOutput> Outputs { get; set; } = [];

    public bool IsRunning => FinishedAt is null;

    /// <summary>
    /// Copies a finished run's result into this row, with its times: from here on <see cref="StartedAt"/> is
    /// when the run began executing (not when it was asked for) and <see cref="FinishedAt"/> when it ended,
    /// the one pair every page, the event stream and the API show. A result without times (one made by
    /// hand) keeps the row's start and finishes there.
    /// </summary>
    public void Complete(ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Status = result.Status;
        ExitCode = result.ExitCode;
        Signal = result.Signal;
        Stdout = result.Stdout;
        Stderr = result.Stderr;
        StdoutTruncated = result.StdoutTruncated;
        StderrTruncated = result.StderrTruncated;
        WallTimeMs = result.WallTimeMs;
        CpuTimeMs = result.CpuTimeMs;
        PeakMemoryBytes = result.PeakMemoryBytes;
        SandboxLevel = result.SandboxLevel;
        Detail = result.Detail;
        SessionGeneration = result.Session?.Generation;
        ExecutionCounter = result.Session?.Counter;
        SessionEvent = result.Session?.Event;
        TypedInput = result.TypedInput;
        OutputsOmitted = result.OutputsOmitted;
        if (result.StartedAt != default) StartedAt = result.StartedAt.UtcDateTime;
        FinishedAt = result.FinishedAt != default ? result.FinishedAt.UtcDateTime : StartedAt;
    }
}
