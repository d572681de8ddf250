using System.Collections.Concurrent;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Results of runs that executed but could not be stored (the database's disk full, say). Each is kept
/// here as <c>internal_error</c> with the reason and written again in the background, at growing intervals
/// up to <see cref="MaxRetryDelay"/> and at once after any other write succeeds, so its row does not read
/// "running" a moment longer than the database refuses writes.
/// </summary>
public sealed class UnstoredRunResults(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<UnstoredRunResults> logger) : IDisposable
{
    /// <summary>The first wait before writing again.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two tries.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, ExecutionResult> _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    private int _started;

    /// <summary>Runs waiting to be stored.</summary>
    public int Count => _pending.Count;

    /// <summary>
    /// Takes a result that could not be stored and gives the one that will be: <c>internal_error</c>, its
    /// detail saying that the run did execute (or was refused), how it ended and why it could not be
    /// stored; output kept.
    /// </summary>
    public ExecutionResult Add(long executionId, ExecutionResult result, Exception reason)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reason);
        var exit = result.ExitCode is { } code ? $", exit code {code}" : "";
        var recorded = result with
        {
            Status = RunStatus.InternalError,
            Detail = $"{(result.Status == RunStatus.Rejected ? "the run was refused" : "the run executed")} ({result.Status.ToWireName()}{exit}) but its result could not be stored: {reason.GetBaseException().Message}",
        };
        _pending[executionId] = recorded;
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(WriteUntilStoredAsync);
        _wake.Release();
        return recorded;
    }

    /// <summary>Another write just succeeded: the database may take these again, so try now.</summary>
    public void TryNow()
    {
        if (!_pending.IsEmpty) _wake.Release();
    }

    private async Task WriteUntilStoredAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        var delay = FirstRetryDelay;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(_pending.IsEmpty ? Timeout.InfiniteTimeSpan : delay, stopping);
                foreach (var (executionId, result) in _pending)
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await scope.ServiceProvider.GetRequiredService<IRunStore>().CompleteAsync(executionId, result, CancellationToken.None);
                        _pending.TryRemove(new(executionId, result));
                        delay = FirstRetryDelay;
                        logger.LogInformation("Run {ExecutionId} is stored at last: {Detail}", executionId, result.Detail);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                        logger.LogWarning(exception, "Run {ExecutionId} still cannot be stored; trying again within {Delay}", executionId, delay);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // What is left reads "running" until the next start closes it as interrupted.
            if (!_pending.IsEmpty) logger.LogError("{Count} run results were never stored: the server stopped first", _pending.Count);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _wake.Dispose();
}
