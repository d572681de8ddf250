namespace CodeChatter.Core.Execution;

/// <summary>One snippet to run.</summary>
/// <param name="Language">A language id from configuration, such as <c>python</c>.</param>
/// <param name="Code">The snippet's source text.</param>
public sealed record ExecutionRequest(string Language, string Code)
{
    /// <summary>Text fed to the program's standard input. Empty by default.</summary>
    public string Stdin { get; init; } = "";

    /// <summary>
    /// Input the person types while the run is in flight, read after <see cref="Stdin"/>; null for a run
    /// nobody can type into (the API, a page without JavaScript), whose input ends after <see cref="Stdin"/>.
    /// </summary>
    public RunInput? Input { get; init; }

    /// <summary>
    /// The conversation's attachments, seen read-only in the working folder's <c>inputs/</c>. A fresh run
    /// with inputs starts cold (a pre-started box was made before its inputs were known).
    /// </summary>
    public IReadOnlyList<InputFile> Inputs { get; init; } = [];

    /// <summary>Limits tighter than the instance defaults; a looser value is ignored.</summary>
    public ExecutionLimits? Limits { get; init; }

    /// <summary>
    /// The stored run this is, when there is one: an executor on another machine (a cluster's runner) names its
    /// live output and takes Stop by it. Null for runs that are not stored (<c>exec</c>, probes).
    /// </summary>
    public long? ExecutionId { get; init; }

    /// <summary>
    /// Whose stored run this is: a cluster's runner stores the result for them (their storage quota, their
    /// session). Null for runs that are not stored.
    /// </summary>
    public string? OwnerId { get; init; }
}

/// <summary>Per-request limits. Each null value means "the instance default".</summary>
public sealed record ExecutionLimits
{
    /// <summary>Wall-clock limit in milliseconds.</summary>
    public int? WallTimeMs { get; init; }

    /// <summary>CPU-time limit in milliseconds, summed over every process of the run.</summary>
    public int? CpuTimeMs { get; init; }

    /// <summary>Memory limit in bytes for the whole run, scratch files included.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Most processes (and threads) the run may have at once.</summary>
    public int? MaxProcesses { get; init; }

    /// <summary>Bytes kept of each of stdout and stderr; reaching it stops the run.</summary>
    public int? MaxOutputBytesPerStream { get; init; }
}
