using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// The run gate of a web instance in a cluster: the per-person limit and the cap on runs in flight are
/// counted in Redis (<see cref="RedisRunLimits"/>), so they hold for the cluster as a whole, not once per
/// web instance. It does not queue: the run stream is the queue, and each runner bounds its own concurrency
/// by taking at most <see cref="ExecutionOptions.MaxConcurrentRuns"/> from it. A run either gets its place at
/// once or is refused, with the same wording as <see cref="FairRunQueue"/>.
/// </summary>
/// <remarks>
/// Fairness across instances: runners take the stream in order, not round-robin by person, so what keeps one
/// person from crowding out the others is the per-person cap. One person has at most
/// <see cref="ExecutionOptions.MaxConcurrentRunsPerUser"/> runs in flight whichever web instances they use, so
/// a run entering the stream waits behind at most that many runs of any one other person; a heavy user takes
/// at most that many of the runners' slots and of the <see cref="ClusterOptions.MaxRunsInFlight"/> places.
/// When Redis cannot be asked, runs are refused (with a retry-after) rather than admitted uncounted: the
/// runners could not be reached through Redis anyway.
/// </remarks>
public sealed class RedisRunGate : IRunGate
{
    /// <summary>How long a refusal because Redis did not answer suggests waiting: a reconnect takes a second or two.</summary>
    internal static readonly TimeSpan UnreachableRetryAfter = TimeSpan.FromSeconds(5);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRunLimits _limits;
    private readonly ILogger<RedisRunGate> _logger;
    private readonly int _perUser;
    private readonly int _inFlight;
    private readonly TimeSpan _retryAfter;
    private readonly TimeSpan _answerTimeout;

    /// <summary>Creates the gate from the instance's limits.</summary>
    /// <param name="redis">The shared connection; when it is down, runs are refused at once.</param>
    /// <param name="limits">The counts in Redis.</param>
    /// <param name="execution">The per-person limit and the run time a refusal's retry-after is based on.</param>
    /// <param name="cluster">The cap on runs in flight across the cluster.</param>
    /// <param name="logger">Where Redis failures are reported.</param>
    /// <param name="answerTimeout">
    /// The longest a request waits for Redis to answer before its run is refused; the client's own command timeout
    /// when null (5 s by default). A disconnected Redis refuses at once; a busy machine answering slowly (measured:
    /// over 2 s at a load average of 12 on 2 cores) must not turn into refused runs.
    /// </param>
    public RedisRunGate(
        IConnectionMultiplexer redis, RedisRunLimits limits, IOptions<ExecutionOptions> execution, IOptions<ClusterOptions> cluster,
        ILogger<RedisRunGate> logger, TimeSpan? answerTimeout = null)
    {
        _redis = redis;
        _limits = limits;
        _logger = logger;
        var value = execution.Value;
        _perUser = value.MaxConcurrentRunsPerUser;
        _inFlight = cluster.Value.ResolvedMaxRunsInFlight(value);
        // As in FairRunQueue: a refused person can expect room within about one run's wall-clock limit.
        _retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.WallTimeLimitMs / 1000.0)));
        _answerTimeout = answerTimeout ?? TimeSpan.FromMilliseconds(redis.TimeoutMilliseconds);
    }

    /// <inheritdoc />
    public async Task<IDisposable> EnterAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Disconnected, every command would wait in the client's backlog for its timeout: refuse now instead.
        if (!_redis.IsConnected) throw Unreachable(null);
        var slot = await TakeAsync(() => _limits.TryAcquireAsync(userId, _perUser), (taken, _) => _limits.ReleaseAsync(userId, taken), cancellationToken)
            ?? throw new RunRefusedException($"You already have {_perUser} run(s) in progress; the limit is {_perUser} at once.", _retryAfter);
        string place;
        try
        {
            place = await TakeAsync(() => _limits.TryAcquireQueuePlaceAsync(_inFlight), _limits.ReleaseQueuePlaceAsync, cancellationToken)
                ?? throw new RunRefusedException("The server is busy: the run queue is full.", _retryAfter);
        }
        catch
        {
            // Refused, cancelled or Redis gone between the two steps: the person's slot goes back.
            GiveBack(() => _limits.ReleaseAsync(userId, slot));
            throw;
        }
        return new Slot(this, userId, slot, place);
    }

    /// <summary>
    /// Asks Redis for one count, waiting at most the answer timeout and no longer than the caller wants. A count
    /// granted after the caller stopped waiting (cancelled, timed out) is given straight back when it arrives, so
    /// nothing leaks; Redis failures become a refusal.
    /// </summary>
    private async Task<string?> TakeAsync(Func<Task<string?>> acquire, Func<string, CancellationToken, Task> release, CancellationToken cancellationToken)
    {
        var taking = acquire();
        try
        {
            return await taking.WaitAsync(_answerTimeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            GiveBackIfTaken(taking, release);
            throw;
        }
        catch (Exception exception) when (exception is TimeoutException or RedisException)
        {
            GiveBackIfTaken(taking, release);
            throw Unreachable(exception);
        }
    }

    private void GiveBackIfTaken(Task<string?> taking, Func<string, CancellationToken, Task> release) =>
        _ = taking.ContinueWith(
            done =>
            {
                if (done.IsCompletedSuccessfully && done.Result is { } taken) GiveBack(() => release(taken, CancellationToken.None));
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// Starts giving a count back without waiting for the answer. The command is queued on this instance's
    /// connection before this returns, so a later acquire from this instance always sees it done; if Redis is
    /// down, the slot comes back by itself when its lease runs out (<see cref="RunLimitOptions.SlotExpiry"/>).
    /// </summary>
    private void GiveBack(Func<Task> release) => _ = GiveBackAsync(release);

    private async Task GiveBackAsync(Func<Task> release)
    {
        try
        {
            await release();
        }
        catch (Exception exception) when (exception is TimeoutException or RedisException)
        {
            _logger.LogWarning(exception, "A run slot could not be given back in Redis; it comes back when its lease runs out.");
        }
    }

    private RunRefusedException Unreachable(Exception? cause)
    {
        _logger.LogWarning(cause, "Redis did not answer; a run was refused.");
        return new RunRefusedException(
            "Runs cannot start right now: the cluster's shared store (Redis) is not answering. Try again in a few seconds.",
            UnreachableRetryAfter);
    }

    private sealed class Slot(RedisRunGate owner, string userId, string slot, string place) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            owner.GiveBack(() => owner._limits.ReleaseQueuePlaceAsync(place));
            owner.GiveBack(() => owner._limits.ReleaseAsync(userId, slot));
        }
    }
}
