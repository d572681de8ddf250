using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>A re-run against the snippet's run before it: same or changed, and the line diffs when changed.</summary>
/// <param name="Changed">Whether status, stdout, stderr or the displayed items differ.</param>
/// <param name="PreviousStatus">How the run before ended.</param>
/// <param name="StdoutDiff">The stdout diff, or null when stdout is the same.</param>
/// <param name="StderrDiff">The stderr diff, or null when stderr is the same.</param>
public sealed record RerunComparison(bool Changed, RunStatus PreviousStatus, IReadOnlyList<DiffLine>? StdoutDiff, IReadOnlyList<DiffLine>? StderrDiff)
{
    /// <summary>Whether the plots, tables and values it displayed differ (media type and content hash, in order).</summary>
    public bool OutputsChanged { get; init; }

    /// <summary><c>changed</c> or <c>same</c>.</summary>
    public string Word => Changed ? "changed" : "same";

    /// <summary>
    /// Compares a finished re-run with the finished run before it; null for a first run, a run in flight or
    /// one that was not a re-run.
    /// </summary>
    public static RerunComparison? Between(RunView run, RunView? previous)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (previous?.Status is not { } previousStatus || run.Status is not { } status
            || run.Trigger is not (ExecutionTrigger.Rerun or ExecutionTrigger.ConversationRerun))
        {
            return null;
        }
        var now = new RunOutput(status, run.Stdout, run.Stderr) { Outputs = run.Outputs.Select(o => o.Fingerprint).ToList() };
        var before = new RunOutput(previousStatus, previous.Stdout, previous.Stderr) { Outputs = previous.Outputs.Select(o => o.Fingerprint).ToList() };
        if (!now.HasChangedSince(before)) return new RerunComparison(false, previousStatus, null, null);
        return new RerunComparison(
            true, previousStatus,
            previous.Stdout == run.Stdout ? null : LineDiff.Compute(previous.Stdout, run.Stdout),
            previous.Stderr == run.Stderr ? null : LineDiff.Compute(previous.Stderr, run.Stderr))
        {
            OutputsChanged = !OutputFingerprint.SameSequence(before.Outputs, now.Outputs),
        };
    }
}
