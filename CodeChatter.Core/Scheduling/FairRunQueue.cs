using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Scheduling;

/// <summary>Why a run was refused before it started, and when to try again.</summary>
public sealed class RunRefusedException(string reason, TimeSpan retryAfter) : Exception(reason)
{
    /// <summary>A suggestion for when a new attempt may succeed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The machine-wide gate in front of the executor: at most <see cref="ExecutionOptions.MaxConcurrentRuns"/>
/// runs execute at once, up to <see cref="ExecutionOptions.QueueCapacity"/> wait behind them, and one
/// person holds at most <see cref="ExecutionOptions.MaxConcurrentRunsPerUser"/> of either. Waiting runs
/// are served round-robin by person, so one person's long queue delays another's single run by at most
/// one slot. The gate of a single instance (and of each process of a cluster without a shared count).
/// </summary>
public sealed class FairRunQueue : IRunGate, IRunLoad
{
    private readonly object _gate = new();
    private readonly int _slots;
    private readonly int _capacity;
    private readonly int _perUser;
    private readonly TimeSpan _retryAfter;
    private readonly Dictionary<string, Queue<Waiter>> _waiting = new(StringComparer.Ordinal);
    // People with runs waiting, in the order they are served next.
    private readonly LinkedList<string> _rotation = new();
    private readonly Dictionary<string, int> _heldByUser = new(StringComparer.Ordinal);
    private readonly Observability.CodeChatterMetrics? _metrics;
    private readonly TimeProvider _time;
    private int _running;
    private int _queued;

    /// <summary>Creates the queue from the instance's limits.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="metrics">Where each run's wait for a slot is recorded; nowhere when null.</param>
    /// <param name="time">The clock waits are measured with; the system clock when null.</param>
    public FairRunQueue(IOptions<ExecutionOptions> options, Observability.CodeChatterMetrics? metrics = null, TimeProvider? time = null)
    {
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        var value = options.Value;
        _slots = value.MaxConcurrentRuns;
        _capacity = value.QueueCapacity;
        _perUser = value.MaxConcurrentRunsPerUser;
        // A refused person can expect a slot to free up within about one run's wall-clock limit.
        _retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.WallTimeLimitMs / 1000.0)));
    }

    /// <summary>Runs executing now.</summary>
    public int RunningCount { get { lock (_gate) return _running; } }

    /// <summary>Runs waiting for a slot now.</summary>
    public int QueuedCount { get { lock (_gate) return _queued; } }

    int IRunLoad.Running => RunningCount;

    int IRunLoad.Waiting => QueuedCount;

    /// <summary>
    /// Waits for a slot for <paramref name="userId"/>. Dispose the returned slot when the run ends.
    /// </summary>
    /// <exception cref="RunRefusedException">The person already has their maximum of runs, or the queue is full.</exception>
    public async Task<IDisposable> EnterAsync(string userId, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_gate)
        {
            var held = _heldByUser.GetValueOrDefault(userId);
            if (held >= _perUser)
            {
                throw new RunRefusedException(
                    $"You already have {held} run(s) in progress; the limit is {_perUser} at once.", _retryAfter);
            }
            if (_running < _slots && _queued == 0)
            {
                _running++;
                _heldByUser[userId] = held + 1;
                _metrics?.QueueWaited(TimeSpan.Zero);
                return new Slot(this, userId);
            }
            if (_queued >= _capacity)
            {
                throw new RunRefusedException("The server is busy: the run queue is full.", _retryAfter);
            }
            waiter = new Waiter(userId);
            if (!_waiting.TryGetValue(userId, out var queue))
            {
                _waiting[userId] = queue = new Queue<Waiter>();
                _rotation.AddLast(userId);
            }
            queue.Enqueue(waiter);
            _queued++;
            _heldByUser[userId] = held + 1;
        }

        var queuedAt = _time.GetTimestamp();
        await using (cancellationToken.Register(() => Abandon(waiter)))
        {
            var slot = await waiter.Granted.Task;
            _metrics?.QueueWaited(_time.GetElapsedTime(queuedAt));
            return slot;
        }
    }

    private void Abandon(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Granted.Task.IsCompleted || !_waiting.TryGetValue(waiter.UserId, out var queue)) return;
            var remaining = new Queue<Waiter>(queue.Where(w => w != waiter));
            if (remaining.Count == queue.Count) return;
            _queued--;
            Release(waiter.UserId);
            if (remaining.Count == 0)
            {
                _waiting.Remove(waiter.UserId);
                _rotation.Remove(waiter.UserId);
            }
            else
            {
                _waiting[waiter.UserId] = remaining;
            }
        }
        waiter.Granted.TrySetCanceled();
    }

    private void Leave(string userId)
    {
        Waiter? next = null;
        lock (_gate)
        {
            Release(userId);
            if (_rotation.First is { } first)
            {
                var nextUser = first.Value;
                var queue = _waiting[nextUser];
                next = queue.Dequeue();
                _queued--;
                _rotation.RemoveFirst();
                if (queue.Count > 0) _rotation.AddLast(nextUser);
                else _waiting.Remove(nextUser);
                // The slot passes straight to the next run: _running stays the same.
            }
            else
            {
                _running--;
            }
        }
        next?.Granted.TrySetResult(new Slot(this, next.UserId));
    }

    private void Release(string userId)
    {
        var held = _heldByUser[userId] - 1;
        if (held == 0) _heldByUser.Remove(userId);
        else _heldByUser[userId] = held;
    }

    private sealed class Waiter(string userId)
    {
        public string UserId { get; } = userId;
        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(FairRunQueue owner, string userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Leave(userId);
        }
    }
}
