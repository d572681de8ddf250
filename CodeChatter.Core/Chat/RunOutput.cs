using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat;

/// <summary>The part of a run that says whether two runs of a snippet behaved alike.</summary>
/// <param name="Status">How the run ended.</param>
/// <param name="Stdout">What it printed.</param>
/// <param name="Stderr">What it printed to standard error.</param>
public sealed record RunOutput(RunStatus Status, string Stdout, string Stderr)
{
    /// <summary>The plots, tables and values it displayed, in order, by media type and content hash.</summary>
    public IReadOnlyList<OutputFingerprint> Outputs { get; init; } = [];

    /// <summary>
    /// Whether this run differs from <paramref name="previous"/>: status, stdout, stderr or the items it
    /// displayed (media type and content hash, in order). Times and memory always differ a little and are
    /// not compared. A run with nothing before it counts as changed.
    /// </summary>
    public bool HasChangedSince(RunOutput? previous) =>
        previous is null
        || previous.Status != Status
        || !string.Equals(previous.Stdout, Stdout, StringComparison.Ordinal)
        || !string.Equals(previous.Stderr, Stderr, StringComparison.Ordinal)
        || !OutputFingerprint.SameSequence(previous.Outputs, Outputs);

    /// <summary>The comparable part of a result.</summary>
    public static RunOutput From(ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Status, result.Stdout, result.Stderr) { Outputs = result.Outputs.Select(OutputFingerprint.Of).ToList() };
    }
}
