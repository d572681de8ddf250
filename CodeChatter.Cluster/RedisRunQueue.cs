using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// The runs waiting for a runner, as Redis streams read through one consumer group: a shared stream
/// any runner takes from, and one stream per runner for the runs only it may take (a session's box
/// lives on one runner). Delivery is at most once: an entry a runner has read is its alone until it
/// acknowledges it, and if that runner dies the entry is taken back as interrupted, never handed to
/// another runner (a snippet that may have half-run must not run twice).
/// </summary>
/// <remarks>
/// A cancellation token is honoured only before a command is sent and between polls: a command that
/// already changed the queue (a ticket added, entries taken) must reach its caller, or a run would be
/// queued twice or taken and never reported.
/// </remarks>
public sealed class RedisRunQueue(IConnectionMultiplexer redis, RunQueueOptions? options = null)
{
    private const string ExecutionField = "execution";
    private const string OwnerField = "owner";
    private const string PayloadField = "payload";

    // The lease check and the append are one step: once a runner's lease has lapsed the reaper may
    // already have emptied its stream, and a ticket appended after that would wait there forever.
    // The doorbell rings in the same step (ARGV[5] is its channel).
    private const string EnqueueOwnedScript = """
        if redis.call('EXISTS', KEYS[2]) == 0 then return false end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
            'execution', ARGV[2], 'owner', ARGV[3], 'payload', ARGV[4])
        redis.call('PUBLISH', ARGV[5], '')
        return id
        """;

    // One atomic step per batch, so two reapers can never both take the same entry and the dead
    // runner (should it still be talking) can never acknowledge half of a batch.
    // KEYS[1]: the shared stream, where only the entries delivered to the dead consumer are its own.
    // KEYS[2]: the dead runner's own stream, where every entry left is its own, read or not.
    // Returns {stream, id, {field, value, ...}} per taken entry; a shared entry trimmed away before it
    // was acknowledged has no content left and is only acknowledged.
    private const string TakeAbandonedScript = """
        local group, consumer, batch = ARGV[1], ARGV[2], tonumber(ARGV[3])
        local taken = {}
        if redis.call('EXISTS', KEYS[1]) == 1 then
            local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], group, '-', '+', batch, consumer)
            if ok then
                for _, info in ipairs(pending) do
                    local id = info[1]
                    local entry = redis.call('XRANGE', KEYS[1], id, id)
                    redis.call('XACK', KEYS[1], group, id)
                    redis.call('XDEL', KEYS[1], id)
                    if entry[1] then taken[#taken + 1] = {KEYS[1], id, entry[1][2]} end
                end
                if #pending == 0 then redis.call('XGROUP', 'DELCONSUMER', KEYS[1], group, consumer) end
            end
        end
        local owned = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', batch)
        for _, entry in ipairs(owned) do
            redis.call('XDEL', KEYS[2], entry[1])
            taken[#taken + 1] = {KEYS[2], entry[1], entry[2]}
        end
        if #owned < batch then redis.call('DEL', KEYS[2]) end
        return taken
        """;

    private readonly RunQueueOptions _options = options ?? new RunQueueOptions();

    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Appends <paramref name="ticket"/> to the shared stream, or, when <paramref name="runnerId"/> is
    /// given, to that runner's own stream. Returns the entry id, or null when <paramref name="runnerId"/>
    /// holds no live lease: nothing was queued, and the caller routes the run elsewhere or ends it.
    /// </summary>
    public async Task<string?> EnqueueAsync(RunTicket ticket, string? runnerId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        cancellationToken.ThrowIfCancellationRequested();
        if (runnerId is null)
        {
            // Sent together, one round trip: Redis runs them in order, so the ring never comes before the entry.
            var adding = Database.StreamAddAsync(ClusterKeys.SharedRuns,
                [
                    new(ExecutionField, ticket.ExecutionId),
                    new(OwnerField, ticket.OwnerId),
                    new(PayloadField, ticket.Payload),
                ],
                maxLength: _options.MaxStreamLength, useApproximateMaxLength: true);
            var ringing = RingAsync();
            var id = await adding;
            await ringing;
            return id.ToString();
        }
        ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
        var result = await Database.ScriptEvaluateAsync(EnqueueOwnedScript,
            [ClusterKeys.OwnedRuns(runnerId), ClusterKeys.Lease(runnerId)],
            [_options.MaxStreamLength, ticket.ExecutionId, ticket.OwnerId, ticket.Payload, ClusterKeys.RunsDoorbell.ToString()]);
        return result.IsNull ? null : result.ToString();
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> new runs for <paramref name="runnerId"/>, its own stream
    /// first, waiting up to <paramref name="block"/> for one to arrive. The runs stay pending under
    /// <paramref name="runnerId"/> until <see cref="AcknowledgeAsync"/>; an empty list means none came.
    /// </summary>
    public async Task<IReadOnlyList<RunQueueEntry>> ReadAsync(string runnerId, int count, TimeSpan block, CancellationToken cancellationToken = default)
    {
        ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var started = Stopwatch.GetTimestamp();
        await ListenForDoorbellAsync();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Taken before reading, so a ticket enqueued while the read is on its way still wakes the wait below.
            var rung = Volatile.Read(ref _doorbell).Task;
            var taken = await ReadOnceAsync(runnerId, count);
            if (taken.Count > 0 || Stopwatch.GetElapsedTime(started) >= block) return taken;
            await Task.WhenAny(rung, Task.Delay(_options.PollInterval, cancellationToken));
        }
    }

    // A blocking XREADGROUP would stall StackExchange.Redis's one multiplexed connection, and polling alone costs
    // half the poll interval on every run's start: each enqueue rings a pub/sub doorbell that wakes waiting reads
    // at once. The poll stays as the fallback for a ring lost (pub/sub keeps nothing across a reconnect).
    private TaskCompletionSource _doorbell = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listening;

    private async Task ListenForDoorbellAsync()
    {
        var listening = LazyInitializer.EnsureInitialized(ref _listening, () =>
            redis.GetSubscriber().SubscribeAsync(ClusterKeys.RunsDoorbell, (_, _) =>
                Interlocked.Exchange(ref _doorbell, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult()));
        try
        {
            await listening;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Redis is away: this read polls, and the next one subscribes again.
            _ = Interlocked.CompareExchange(ref _listening, null, listening);
        }
    }

    private Task RingAsync() => redis.GetSubscriber().PublishAsync(ClusterKeys.RunsDoorbell, "");

    /// <summary>
    /// Marks <paramref name="entry"/> done and removes it from its stream. Call it only once the result
    /// is stored: until then a dead runner's run can still be found and ended as interrupted. False when
    /// the entry was no longer pending (a reaper already took it as interrupted).
    /// </summary>
    public async Task<bool> AcknowledgeAsync(RunQueueEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var transaction = Database.CreateTransaction();
        var acknowledged = transaction.StreamAcknowledgeAsync(entry.Stream, ClusterKeys.RunnerGroup, entry.EntryId);
        _ = transaction.StreamDeleteAsync(entry.Stream, [entry.EntryId]);
        await transaction.ExecuteAsync();
        return await acknowledged == 1;
    }

    /// <summary>
    /// Takes every run <paramref name="deadRunnerId"/> read and never acknowledged, and every run still
    /// waiting in its own stream, out of the queue for good: none of them is ever handed to a runner
    /// again. The caller stores each as interrupted. Call it only for a runner whose lease has lapsed.
    /// </summary>
    public async Task<IReadOnlyList<RunQueueEntry>> TakeAbandonedAsync(string deadRunnerId, CancellationToken cancellationToken = default)
    {
        ClusterKeys.CheckRunnerId(deadRunnerId, nameof(deadRunnerId));
        cancellationToken.ThrowIfCancellationRequested();
        var taken = new List<RunQueueEntry>();
        while (true)
        {
            var result = await Database.ScriptEvaluateAsync(TakeAbandonedScript,
                [ClusterKeys.SharedRuns, ClusterKeys.OwnedRuns(deadRunnerId)],
                [ClusterKeys.RunnerGroup, deadRunnerId, _options.ReapBatchSize]);
            var batch = (RedisResult[])result!;
            if (batch.Length == 0) return taken;
            foreach (var item in batch)
            {
                var parts = (RedisResult[])item!;
                taken.Add(new((string)parts[0]!, (string)parts[1]!, ToTicket(FieldsOf((RedisResult[])parts[2]!))));
            }
        }
    }

    private async Task<IReadOnlyList<RunQueueEntry>> ReadOnceAsync(string runnerId, int count)
    {
        var owned = ClusterKeys.OwnedRuns(runnerId);
        try
        {
            return await ReadGroupsAsync(owned, runnerId, count);
        }
        catch (RedisServerException exception) when (exception.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // First read ever, or Redis restarted empty: make the groups and read once more.
            await CreateGroupAsync(owned);
            await CreateGroupAsync(ClusterKeys.SharedRuns);
            return await ReadGroupsAsync(owned, runnerId, count);
        }
    }

    // The runner's own stream first, then the shared one for what is left, in one round trip.
    private const string ReadGroupsScript = """
        local group, consumer, count = ARGV[1], ARGV[2], tonumber(ARGV[3])
        local taken = {}
        for _, stream in ipairs(KEYS) do
            if #taken >= count then break end
            local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count - #taken, 'STREAMS', stream, '>')
            if read then
                for _, entry in ipairs(read[1][2]) do taken[#taken + 1] = {stream, entry[1], entry[2]} end
            end
        end
        return taken
        """;

    private async Task<List<RunQueueEntry>> ReadGroupsAsync(RedisKey owned, string runnerId, int count)
    {
        var result = await Database.ScriptEvaluateAsync(ReadGroupsScript, [owned, ClusterKeys.SharedRuns], [ClusterKeys.RunnerGroup, runnerId, count]);
        var taken = new List<RunQueueEntry>();
        foreach (var item in (RedisResult[])result!)
        {
            var parts = (RedisResult[])item!;
            taken.Add(new((string)parts[0]!, (string)parts[1]!, ToTicket(FieldsOf((RedisResult[])parts[2]!))));
        }
        return taken;
    }

    private async Task CreateGroupAsync(RedisKey stream)
    {
        try
        {
            // From the beginning, not "$": tickets enqueued before the first runner ever read must count.
            await Database.StreamCreateConsumerGroupAsync(stream, ClusterKeys.RunnerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another runner made it first.
        }
    }

    private static NameValueEntry[] FieldsOf(RedisResult[] flat)
    {
        var fields = new NameValueEntry[flat.Length / 2];
        for (var i = 0; i < fields.Length; i++) fields[i] = new((RedisValue)flat[2 * i], (RedisValue)flat[2 * i + 1]);
        return fields;
    }

    private static RunTicket ToTicket(NameValueEntry[] fields)
    {
        RedisValue Field(string name) => fields.FirstOrDefault(field => field.Name == name).Value;
        return new(long.Parse(Field(ExecutionField).ToString(), CultureInfo.InvariantCulture),
            Field(OwnerField).ToString(), Field(PayloadField).ToString());
    }
}
