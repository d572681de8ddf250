using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Runs in flight that another server process relays (a cluster's other web instance): their live output, Stop
/// and typed input, for a person whose request reached this instance. Without a cluster there is no elsewhere,
/// and every method says so.
/// </summary>
public interface IRunsElsewhere
{
    /// <summary>Whether runs can be in flight on another instance at all.</summary>
    bool Exists { get; }

    /// <summary>Asks whoever runs <paramref name="executionId"/> to stop it; false when nobody could be asked.</summary>
    Task<bool> StopAsync(long executionId, CancellationToken cancellationToken = default);

    /// <summary>Sends typed input (and, with <paramref name="end"/>, the end of it) to the run; false when nobody could be asked.</summary>
    Task<bool> SendInputAsync(long executionId, string text, bool end, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run's output from now on, as it is printed, ending when the run does; empty when there is no elsewhere.
    /// What it printed before the call is in its stored row (the relaying instance saves it as it comes).
    /// </summary>
    IAsyncEnumerable<OutputChunk> WatchAsync(long executionId, CancellationToken cancellationToken = default);
}

/// <summary>One server process: every run in flight is in this process's <see cref="LiveRuns"/>.</summary>
public sealed class NoRunsElsewhere : IRunsElsewhere
{
    /// <inheritdoc />
    public bool Exists => false;

    /// <inheritdoc />
    public Task<bool> StopAsync(long executionId, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <inheritdoc />
    public Task<bool> SendInputAsync(long executionId, string text, bool end, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <inheritdoc />
    public IAsyncEnumerable<OutputChunk> WatchAsync(long executionId, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<OutputChunk>();
}
