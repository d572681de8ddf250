using System.Collections.Concurrent;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Cluster;

/// <summary>
/// A runner node: holds a lease while it lives, takes runs from the Redis run queue (as many at once as the
/// machine's <c>Execution:MaxConcurrentRuns</c>), executes each in this machine's sandbox (a session message in
/// its session here) with its output published as it is printed, listens for Stop and typed input, stores the
/// result, publishes it, and only then acknowledges the entry. It also reaps: the runs of a runner whose lease
/// ran out are stored as interrupted (never run again elsewhere), and so is any run left in flight far longer
/// than any web instance waits for one (its web instance and its queue entry both gone).
/// </summary>
public sealed class RunnerWorker(
    RedisRunQueue queue, RunChannels channels, RunnerLeases leases, SessionDirectory directory, SandboxedExecutor executor,
    SessionRunner sessions, IServiceScopeFactory scopes, IOptions<ClusterOptions> cluster, IOptions<ExecutionOptions> execution,
    TimeProvider time, ILogger<RunnerWorker> logger, ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan ReapEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private string RunnerId => cluster.Value.ResolvedRunnerId;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var heartbeat = new RunnerHeartbeat(leases, RunnerId, loggers.CreateLogger<RunnerHeartbeat>());
        await heartbeat.StartAsync(stoppingToken);
        logger.LogInformation("Runner {RunnerId} takes runs from Redis", RunnerId);
        var slots = new SemaphoreSlim(Math.Max(1, execution.Value.MaxConcurrentRuns));
        var reaping = ReapAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                IReadOnlyList<RunQueueEntry> entries;
                try
                {
                    entries = await queue.ReadAsync(RunnerId, 1, TimeSpan.FromSeconds(1), stoppingToken);
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
                if (SessionCommand.From(entries[0].Ticket) is { } command)
                {
                    // Carried out before the next entry is read: an order comes before what was queued after it.
                    await CarryOutAsync(entries[0], command);
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
        // Runs in flight end as the sandbox ends them (the host stopping kills them); their results are still stored.
        await Task.WhenAll(_running.Keys);
        await reaping;
    }

    private async Task CarryOutAsync(RunQueueEntry entry, SessionCommand command)
    {
        try
        {
            var ended = await command.CarryOutAsync(sessions);
            logger.LogInformation("Ended {Count} sessions as ordered ({Reason})", ended, command.Reason);
            await PublishSessionsAsync();
            await queue.AcknowledgeAsync(entry);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "An order to end sessions failed");
        }
    }

    private async Task RunAsync(RunQueueEntry entry)
    {
        var ticket = entry.Ticket;
        var executionId = ticket.ExecutionId;
        using var logScope = logger.BeginScope("Run {RunId} of {PersonId} from the queue", executionId, ticket.OwnerId);
        ExecutionResult result;
        var writer = channels.OpenOutput(executionId);
        var published = new List<Task>();
        var publishing = new object();
        try
        {
            var run = RemoteRun.Read(ticket.Payload);
            var request = run.Request(executionId, ticket.OwnerId);
            using var stop = new CancellationTokenSource();
            await using var control = await channels.SubscribeControlAsync(executionId);
            // Stopped while it waited in the queue: subscribed first, so a Stop after this check still arrives.
            if (await channels.WasStoppedAsync(executionId)) await stop.CancelAsync();
            var listening = ListenAsync(control, request.Input, stop);
            void Output(Core.Execution.OutputChunk chunk)
            {
                // Called from the pipe readers: numbered and sent in the order they came.
                lock (publishing) published.Add(writer.WriteAsync(OutputStreamNames.Of(chunk.Stream), chunk.Text));
            }
            result = run.Session is { } session
                ? await RunInSessionAsync(session, request, Output, stop.Token)
                : await executor.ExecuteAsync(request, Output, stop.Token);
            if (stop.IsCancellationRequested) result = result with { Status = RunStatus.Killed };
            await control.DisposeAsync();
            await listening;
            if (request.Input is { } input)
            {
                input.End();
                if (result.TypedInput.Length == 0 && input.Transcript.Length > 0) result = result with { TypedInput = input.Transcript };
            }
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
        await using (var scope = scopes.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<RunCompletion>().StoreAsync(ticket.OwnerId, executionId, result);
        }
        await writer.EndAsync(result.Status.ToWireName(), RemoteRun.Result(result));
        // Acknowledged once its result is stored: a runner that dies before this leaves the entry to the reaper,
        // whose interrupted end then changes nothing (the row is no longer in flight).
        await queue.AcknowledgeAsync(entry);
    }

    private async Task<ExecutionResult> RunInSessionAsync(SessionKey session, ExecutionRequest request, Action<Core.Execution.OutputChunk> output, CancellationToken stop)
    {
        // The message came here: this runner holds the session from now on (it may be its first, or its holder died).
        await directory.TakeAsync(session, RunnerId);
        try
        {
            return await sessions.ExecuteAsync(session, request, NextGenerationAsync, output, stop);
        }
        finally
        {
            await PublishSessionsAsync();
        }

        async Task<int> NextGenerationAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IRunStore>().NextSessionGenerationAsync(session.ConversationId, cancellationToken);
        }
    }

    private async Task PublishSessionsAsync()
    {
        try
        {
            await directory.PublishAsync(RunnerId, sessions.List());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Publishing this runner's sessions failed");
        }
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

    // Any live runner reaps: whoever sees a lease run out first takes its runs back, atomically. Every tick also
    // republishes this runner's sessions (idle ends happen between messages), on the lease's rhythm.
    private async Task ReapAsync(CancellationToken stoppingToken)
    {
        var swept = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReapEvery, stoppingToken);
                await PublishSessionsAsync();
                foreach (var dead in await leases.FindDeadRunnersAsync(stoppingToken))
                {
                    if (dead == RunnerId) continue;
                    var taken = await queue.TakeAbandonedAsync(dead, stoppingToken);
                    foreach (var entry in taken.Where(entry => SessionCommand.From(entry.Ticket) is null)) await InterruptAsync(entry.Ticket.ExecutionId);
                    await leases.ForgetAsync(dead, stoppingToken);
                    logger.LogWarning("Runner {Dead} stopped holding its lease; {Count} of its runs end as interrupted", dead, taken.Count);
                }
                if (time.GetUtcNow() - swept >= SweepEvery)
                {
                    swept = time.GetUtcNow();
                    await SweepForgottenRunsAsync();
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

    // Stored as interrupted first (unless its result was stored), then announced to the web instance relaying it.
    private async Task InterruptAsync(long executionId)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IInterruptedRuns>().InterruptIfInFlightAsync(executionId);
        }
        var now = time.GetUtcNow();
        var interrupted = RunService.Interrupted(executor.Level, now, now);
        await channels.PublishOutputAsync(executionId, new RunEnded(long.MaxValue, interrupted.Status.ToWireName(), RemoteRun.Result(interrupted)));
    }

    // A run in flight for twice the longest a web instance waits for one has nobody left to end it: its web
    // instance died and Redis forgot its ticket (a restart). Without this it would read "running" forever.
    private async Task SweepForgottenRunsAsync()
    {
        var limit = TimeSpan.FromSeconds(2 * cluster.Value.MaxRunWaitSeconds);
        await using var scope = scopes.CreateAsyncScope();
        var swept = await scope.ServiceProvider.GetRequiredService<IInterruptedRuns>().InterruptInFlightStartedBeforeAsync(time.GetUtcNow() - limit);
        if (swept > 0) logger.LogWarning("{Count} runs in flight for over {Limit} with nobody to end them were stored as interrupted", swept, limit);
    }
}
