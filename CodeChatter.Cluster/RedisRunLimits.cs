using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Concurrency limits that hold across every web instance: how many runs one person has going at once,
/// and how many places the cluster-wide queue has taken. Each count is one Redis key changed only by
/// Lua scripts, so no two instances can both take the last slot and no count goes below zero.
/// </summary>
public sealed class RedisRunLimits(IConnectionMultiplexer redis, RunLimitOptions? options = null)
{
    // Take one, and give it straight back if that went over the limit; both in one atomic step.
    private const string AcquireScript = """
        local held = redis.call('INCR', KEYS[1])
        if held > tonumber(ARGV[1]) then
            if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
            return 0
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // Release never goes below zero: a release after the count expired (or a double release) is a no-op.
    private const string ReleaseScript = """
        local held = tonumber(redis.call('GET', KEYS[1]) or '0')
        if held <= 1 then
            redis.call('DEL', KEYS[1])
            return 0
        end
        return redis.call('DECR', KEYS[1])
        """;

    private readonly RunLimitOptions _options = options ?? new RunLimitOptions();

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Takes one of <paramref name="ownerId"/>'s <paramref name="limit"/> run slots; false when all are held.</summary>
    public Task<bool> TryAcquireAsync(string ownerId, int limit, CancellationToken cancellationToken = default) =>
        AcquireAsync(ClusterKeys.OwnerSlots(ownerId), limit, cancellationToken);

    /// <summary>Gives back one of <paramref name="ownerId"/>'s run slots.</summary>
    public Task ReleaseAsync(string ownerId, CancellationToken cancellationToken = default) =>
        ReleaseAsync(ClusterKeys.OwnerSlots(ownerId), cancellationToken);

    /// <summary>How many run slots <paramref name="ownerId"/> holds now.</summary>
    public Task<long> HeldAsync(string ownerId) => CountAsync(ClusterKeys.OwnerSlots(ownerId));

    /// <summary>Takes one of the <paramref name="capacity"/> places in the cluster-wide queue; false when it is full.</summary>
    public Task<bool> TryAcquireQueuePlaceAsync(int capacity, CancellationToken cancellationToken = default) =>
        AcquireAsync(ClusterKeys.QueuePlaces, capacity, cancellationToken);

    /// <summary>Gives back a place in the cluster-wide queue.</summary>
    public Task ReleaseQueuePlaceAsync(CancellationToken cancellationToken = default) =>
        ReleaseAsync(ClusterKeys.QueuePlaces, cancellationToken);

    /// <summary>How many places in the cluster-wide queue are taken now.</summary>
    public Task<long> QueuePlacesTakenAsync() => CountAsync(ClusterKeys.QueuePlaces);

    private async Task<bool> AcquireAsync(RedisKey key, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // Checked before sending only: a slot taken must reach the caller, who alone can give it back.
        cancellationToken.ThrowIfCancellationRequested();
        var taken = await Database.ScriptEvaluateAsync(AcquireScript, [key], [limit, (long)_options.SlotExpiry.TotalMilliseconds]);
        return (long)taken == 1;
    }

    private async Task ReleaseAsync(RedisKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Database.ScriptEvaluateAsync(ReleaseScript, [key]);
    }

    private async Task<long> CountAsync(RedisKey key)
    {
        var held = await Database.StringGetAsync(key);
        return held.IsNull ? 0 : (long)held;
    }
}
