using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Concurrency limits that hold across every web instance: how many runs one person has going at once,
/// and how many places the cluster-wide queue has taken. Each count is a Redis sorted set of held slots,
/// each slot named by its holder and scored by when its lease runs out, changed only by Lua scripts on
/// Redis's own clock: no two instances can both take the last slot, a slot given back twice is given back
/// once, and the slots of a web instance that died come back on their own when their leases run out,
/// however busy the cluster stays.
/// </summary>
public sealed class RedisRunLimits(IConnectionMultiplexer redis, RunLimitOptions? options = null)
{
    // Leases that ran out are dropped first; then one is taken if there is room. One atomic step.
    private const string AcquireScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    private const string CountScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
        """;

    private readonly RunLimitOptions _options = options ?? new RunLimitOptions();

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Takes one of <paramref name="ownerId"/>'s <paramref name="limit"/> run slots; the slot's name, or null when all are held.</summary>
    public Task<string?> TryAcquireAsync(string ownerId, int limit, CancellationToken cancellationToken = default) =>
        AcquireAsync(ClusterKeys.OwnerSlots(ownerId), limit, cancellationToken);

    /// <summary>Gives back <paramref name="ownerId"/>'s run slot <paramref name="slot"/>; nothing when it was given back already or expired.</summary>
    public Task ReleaseAsync(string ownerId, string slot, CancellationToken cancellationToken = default) =>
        ReleaseAsync(ClusterKeys.OwnerSlots(ownerId), slot, cancellationToken);

    /// <summary>How many run slots <paramref name="ownerId"/> holds now.</summary>
    public Task<long> HeldAsync(string ownerId) => CountAsync(ClusterKeys.OwnerSlots(ownerId));

    /// <summary>Takes one of the <paramref name="capacity"/> places in the cluster-wide queue; the place's name, or null when it is full.</summary>
    public Task<string?> TryAcquireQueuePlaceAsync(int capacity, CancellationToken cancellationToken = default) =>
        AcquireAsync(ClusterKeys.QueuePlaces, capacity, cancellationToken);

    /// <summary>Gives back the place <paramref name="place"/> in the cluster-wide queue.</summary>
    public Task ReleaseQueuePlaceAsync(string place, CancellationToken cancellationToken = default) =>
        ReleaseAsync(ClusterKeys.QueuePlaces, place, cancellationToken);

    /// <summary>How many places in the cluster-wide queue are taken now.</summary>
    public Task<long> QueuePlacesTakenAsync() => CountAsync(ClusterKeys.QueuePlaces);

    private async Task<string?> AcquireAsync(RedisKey key, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // Checked before sending only: a slot taken must reach the caller, who alone can give it back.
        cancellationToken.ThrowIfCancellationRequested();
        var slot = Guid.NewGuid().ToString("N");
        var taken = await Database.ScriptEvaluateAsync(AcquireScript, [key], [limit, (long)_options.SlotExpiry.TotalMilliseconds, slot]);
        return (long)taken == 1 ? slot : null;
    }

    private async Task ReleaseAsync(RedisKey key, string slot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(slot);
        cancellationToken.ThrowIfCancellationRequested();
        await Database.SortedSetRemoveAsync(key, slot);
    }

    private async Task<long> CountAsync(RedisKey key) => (long)await Database.ScriptEvaluateAsync(CountScript, [key]);
}
