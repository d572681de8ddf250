namespace CodeChatter.Core.Execution;

/// <summary>Runs snippets. A snippet's failure is a result, never an exception.</summary>
public interface ICodeExecutor
{
    /// <summary>How this executor isolates runs.</summary>
    SandboxLevel Level { get; }

    /// <summary>
    /// Runs one snippet to its end or its first limit. Cancelling <paramref name="cancellationToken"/>
    /// kills the run, which is then reported as <see cref="RunStatus.Killed"/> with its output so far.
    /// </summary>
    /// <param name="request">What to run.</param>
    /// <param name="output">
    /// Receives output as it is printed, in order within each stream; null when nobody watches.
    /// Called from the threads that read the pipes (stdout and stderr concurrently), so it must be
    /// thread-safe and quick.
    /// </param>
    /// <param name="cancellationToken">Stops the run (a person pressed Stop).</param>
    Task<ExecutionResult> ExecuteAsync(
        ExecutionRequest request,
        Action<OutputChunk>? output = null,
        CancellationToken cancellationToken = default);
}
