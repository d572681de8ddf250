using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Cluster;

/// <summary>
/// A web instance's side of one stored run in a cluster: queue its ticket, relay its output as the runner prints
/// it, send Stop and typed input to the runner, and wait for its end. The runner stores the result; the relay
/// returns it marked <see cref="ExecutionResult.StoredWhereItRan"/>. When no end can come any more (Redis
/// restarted and may have forgotten the run, or none came within <see cref="ClusterOptions.MaxRunWaitSeconds"/>)
/// the relay ends the run as interrupted itself, unless a result was stored meanwhile.
/// </summary>
public sealed class QueuedRunRelay(
    RedisRunQueue queue, RunChannels channels, RedisRestarts restarts, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime,
    SandboxedExecutor local, IOptions<ClusterOptions> options, TimeProvider time, ILogger<QueuedRunRelay> logger)
{
    /// <summary>
    /// Sends <paramref name="ticket"/> to <paramref name="runnerId"/>'s own stream (or the shared one when null) and
    /// relays the run to its end. Null when <paramref name="runnerId"/> holds no lease: nothing was queued.
    /// </summary>
    /// <param name="ticket">The run.</param>
    /// <param name="runnerId">The runner that must run it (a session's holder), or null for any.</param>
    /// <param name="input">What the person types, forwarded as typed; null when nobody can type into the run.</param>
    /// <param name="output">Live output.</param>
    /// <param name="cancellationToken">Stop: the runner kills the run, and stores it as killed.</param>
    public async Task<ExecutionResult?> RunAsync(
        RunTicket ticket, string? runnerId, RunInput? input, Action<Core.Execution.OutputChunk>? output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var executionId = ticket.ExecutionId;
        var startedAt = time.GetUtcNow();
        await restarts.KnowServerAsync();
        var restarted = restarts.Token;
        // Subscribed before the run is queued: pub/sub keeps nothing for late subscribers.
        await using var subscription = await channels.SubscribeOutputAsync(executionId);
        if (await queue.EnqueueAsync(ticket, runnerId, CancellationToken.None) is null) return null;
        // The host stopping is not the person's Stop: the runner goes on and stores the run whatever happens here.
        var stopping = lifetime.ApplicationStopping;
        using var stop = cancellationToken.Register(() =>
        {
            if (!stopping.IsCancellationRequested) _ = channels.SendStopAsync(executionId);
        });
        using var waited = CancellationTokenSource.CreateLinkedTokenSource(restarted, stopping);
        waited.CancelAfter(TimeSpan.FromSeconds(options.Value.MaxRunWaitSeconds));
        var typing = input is not null ? ForwardTypedInputAsync(executionId, input, waited.Token) : Task.CompletedTask;
        try
        {
            await foreach (var message in subscription.ReadAllAsync(waited.Token))
            {
                switch (message)
                {
                    case OutputChunk chunk:
                        output?.Invoke(new Core.Execution.OutputChunk(chunk.Stream.ToStream(), chunk.Text));
                        break;
                    case RunEnded ended when RemoteRun.ReadResult(ended.Result) is { } result:
                        return result with { StoredWhereItRan = true };
                    case RunEnded ended:
                        logger.LogWarning("Run {ExecutionId} ended as {Status} without its result", executionId, ended.Status);
                        return await InterruptAsync(executionId, startedAt);
                }
            }
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested)
        {
            if (stopping.IsCancellationRequested) return Interrupted(startedAt);
            logger.LogWarning(restarted.IsCancellationRequested
                    ? "Run {ExecutionId} was waiting on a Redis that restarted: it ends as interrupted"
                    : "Run {ExecutionId} had no end from any runner within the longest wait: it ends as interrupted",
                executionId);
        }
        finally
        {
            await waited.CancelAsync();
            await typing;
        }
        return await InterruptAsync(executionId, startedAt);
    }

    // The row keeps the output it had; a runner that stored the result first keeps its result.
    private async Task<ExecutionResult> InterruptAsync(long executionId, DateTimeOffset startedAt)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IInterruptedRuns>().InterruptIfInFlightAsync(executionId, CancellationToken.None);
        return Interrupted(startedAt);
    }

    private ExecutionResult Interrupted(DateTimeOffset startedAt) =>
        RunService.Interrupted(local.Level, startedAt, time.GetUtcNow()) with { StoredWhereItRan = true };

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
