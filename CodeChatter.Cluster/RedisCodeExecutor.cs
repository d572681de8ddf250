using CodeChatter.Core.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Cluster;

/// <summary>
/// A web instance's executor in a cluster: a stored run goes on the Redis run queue, a runner executes it, and
/// its output comes back over pub/sub as it is printed, then its result. Stop and typed input go to the runner
/// on the run's control channel. The web instance stores the result as it would a local run's.
/// Runs that are not stored (<c>exec</c>, the doctor's probes) run here, in <paramref name="local"/>.
/// </summary>
public sealed class RedisCodeExecutor(
    RedisRunQueue queue, RunChannels channels, SandboxedExecutor local, IOptions<ClusterOptions> options,
    TimeProvider time, ILogger<RedisCodeExecutor> logger) : ICodeExecutor
{
    /// <inheritdoc />
    public SandboxLevel Level => local.Level;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, Action<Core.Execution.OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ExecutionId is not { } executionId) return await local.ExecuteAsync(request, output, cancellationToken);

        var startedAt = time.GetUtcNow();
        // Subscribed before the run is queued: pub/sub keeps nothing for late subscribers.
        await using var subscription = await channels.SubscribeOutputAsync(executionId);
        await queue.EnqueueAsync(new RunTicket(executionId, "", RemoteRun.Payload(request)), cancellationToken: CancellationToken.None);
        using var stop = cancellationToken.Register(() => _ = channels.SendStopAsync(executionId));
        using var waited = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.MaxRunWaitSeconds));
        var typing = request.Input is { } input ? ForwardTypedInputAsync(executionId, input, waited.Token) : Task.CompletedTask;
        try
        {
            await foreach (var message in subscription.ReadAllAsync(waited.Token))
            {
                switch (message)
                {
                    case OutputChunk chunk:
                        output?.Invoke(new Core.Execution.OutputChunk(chunk.Stream.ToStream(), chunk.Text));
                        break;
                    case RunEnded ended:
                        return RemoteRun.ReadResult(ended.Result) ?? Interrupted(startedAt, $"the runner ended the run as {ended.Status} without its result");
                }
            }
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested)
        {
            logger.LogWarning("Run {ExecutionId} had no end from any runner after {Seconds} s", executionId, options.Value.MaxRunWaitSeconds);
        }
        finally
        {
            await waited.CancelAsync();
            await typing;
        }
        return Interrupted(startedAt, null);
    }

    private ExecutionResult Interrupted(DateTimeOffset startedAt, string? why)
    {
        if (why is not null) logger.LogWarning("A queued run ended without a result: {Why}", why);
        return new ExecutionResult
        {
            Status = RunStatus.InternalError, Detail = Core.Chat.RunService.InterruptedDetail, SandboxLevel = local.Level,
            StartedAt = startedAt, FinishedAt = time.GetUtcNow(),
        };
    }

    // What the person types reaches the runner as it is typed; the end of their input, too.
    private async Task ForwardTypedInputAsync(long executionId, RunInput input, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var text in input.Typed.ReadAllAsync(cancellationToken)) await channels.SendInputAsync(executionId, text);
            await channels.SendEndOfInputAsync(executionId);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
