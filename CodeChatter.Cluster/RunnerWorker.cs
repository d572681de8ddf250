using System.Collections.Concurrent;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Cluster;

/// <summary>
/// A runner node: holds a lease while it lives, takes runs from the Redis run queue (as many at once as the
/// machine's <c>Execution:MaxConcurrentRuns</c>), executes each in this machine's sandbox with its output published
/// as it is printed, listens for Stop and typed input, publishes the result, and only then acknowledges the entry.
/// It also reaps: the runs of a runner whose lease ran out end as interrupted (never run again elsewhere).
/// </summary>
public sealed class RunnerWorker(
    RedisRunQueue queue, RunChannels channels, RunnerLeases leases, SandboxedExecutor executor,
    IOptions<ClusterOptions> cluster, IOptions<ExecutionOptions> execution, TimeProvider time, ILogger<RunnerWorker> logger,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan ReapEvery = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runnerId = cluster.Value.ResolvedRunnerId;
        await using var heartbeat = new RunnerHeartbeat(leases, runnerId, loggers.CreateLogger<RunnerHeartbeat>());
        await heartbeat.StartAsync(stoppingToken);
        logger.LogInformation("Runner {RunnerId} takes runs from Redis", runnerId);
        var slots = new SemaphoreSlim(Math.Max(1, execution.Value.MaxConcurrentRuns));
        var reaping = ReapAsync(runnerId, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                IReadOnlyList<RunQueueEntry> entries;
                try
                {
                    entries = await queue.ReadAsync(runnerId, 1, TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    slots.Release();
                    logger.LogWarning(exception, "Reading the run queue failed; trying again");
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                if (entries.Count == 0)
                {
                    slots.Release();
                    continue;
                }
                var run = Task.Run(async () =>
                {
                    try
                    {
                        await RunAsync(entries[0]);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None);
                _running.TryAdd(run, 0);
                _ = run.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Runs in flight end as the sandbox ends them (the host stopping kills them); their results still go out.
        await Task.WhenAll(_running.Keys);
        await reaping;
    }

    private async Task RunAsync(RunQueueEntry entry)
    {
        var executionId = entry.Ticket.ExecutionId;
        using var logScope = logger.BeginScope("Run {RunId} from the queue", executionId);
        ExecutionResult result;
        var writer = channels.OpenOutput(executionId);
        var published = new List<Task>();
        var publishing = new object();
        try
        {
            var request = RemoteRun.Request(entry.Ticket.Payload, executionId);
            using var stop = new CancellationTokenSource();
            await using var control = await channels.SubscribeControlAsync(executionId);
            // Stopped while it waited in the queue: subscribed first, so a Stop after this check still arrives.
            if (await channels.WasStoppedAsync(executionId)) await stop.CancelAsync();
            var listening = ListenAsync(control, request.Input, stop);
            result = await executor.ExecuteAsync(request, chunk =>
            {
                // Called from the pipe readers: numbered and sent in the order they came.
                lock (publishing) published.Add(writer.WriteAsync(OutputStreamNames.Of(chunk.Stream), chunk.Text));
            }, stop.Token);
            if (stop.IsCancellationRequested) result = result with { Status = RunStatus.Killed };
            await control.DisposeAsync();
            await listening;
            request.Input?.End();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Run {ExecutionId} failed on the runner outside the sandbox", executionId);
            var now = time.GetUtcNow();
            result = new ExecutionResult { Status = RunStatus.InternalError, Detail = "the runner could not run it", SandboxLevel = executor.Level, StartedAt = now, FinishedAt = now };
        }
        Task[] pending;
        lock (publishing) pending = [.. published];
        await Task.WhenAll(pending);
        await writer.EndAsync(result.Status.ToWireName(), RemoteRun.Result(result));
        // Acknowledged once its result is out: a runner that dies before this leaves the entry to the reaper.
        await queue.AcknowledgeAsync(entry);
    }

    private static async Task ListenAsync(RunChannelSubscription<RunControlMessage> control, RunInput? input, CancellationTokenSource stop)
    {
        await foreach (var message in control.ReadAllAsync())
        {
            switch (message)
            {
                case StopRun:
                    await stop.CancelAsync();
                    break;
                case TypedInput typed:
                    input?.Send(typed.Text);
                    break;
                case EndOfInput:
                    input?.End();
                    break;
            }
        }
    }

    // Any live runner reaps: whoever sees a lease run out first takes its runs back, atomically.
    private async Task ReapAsync(string runnerId, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReapEvery, stoppingToken);
                foreach (var dead in await leases.FindDeadRunnersAsync(stoppingToken))
                {
                    if (dead == runnerId) continue;
                    var taken = await queue.TakeAbandonedAsync(dead, stoppingToken);
                    foreach (var entry in taken)
                    {
                        var now = time.GetUtcNow();
                        var interrupted = new ExecutionResult
                        {
                            Status = RunStatus.InternalError, Detail = Core.Chat.RunService.InterruptedDetail, SandboxLevel = executor.Level,
                            StartedAt = now, FinishedAt = now,
                        };
                        await channels.PublishOutputAsync(entry.Ticket.ExecutionId,
                            new RunEnded(long.MaxValue, interrupted.Status.ToWireName(), RemoteRun.Result(interrupted)));
                    }
                    await leases.ForgetAsync(dead, stoppingToken);
                    logger.LogWarning("Runner {Dead} stopped holding its lease; {Count} of its runs end as interrupted", dead, taken.Count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Reaping dead runners failed; trying again");
            }
        }
    }
}
