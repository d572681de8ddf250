using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Notices that Redis lost its data (a restart without persistence, a failover to an empty replica), not just a
/// dropped connection: the epoch key (<c>cc:epoch</c>, a random value set once by whoever comes first) is gone
/// or different after a reconnection. Such a Redis has forgotten queued runs and every pub/sub message sent while
/// it was away, so whoever waits for a run's end through Redis watches <see cref="Token"/> and ends the run as
/// interrupted. A Redis that restarted from its own saved data keeps its epoch and its queued runs.
/// </summary>
public sealed class RedisRestarts : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisRestarts> _logger;
    private CancellationTokenSource _restarted = new();
    private string? _epoch;

    /// <summary>Watches <paramref name="redis"/>'s reconnections.</summary>
    public RedisRestarts(IConnectionMultiplexer redis, ILogger<RedisRestarts> logger)
    {
        _redis = redis;
        _logger = logger;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>Cancelled when Redis is found to have lost its data since this token was handed out.</summary>
    public CancellationToken Token => Volatile.Read(ref _restarted).Token;

    /// <summary>Reads the epoch the first time, so a later loss can be told from a reconnection. Never throws.</summary>
    public async Task KnowServerAsync()
    {
        if (Volatile.Read(ref _epoch) is not null) return;
        try
        {
            Interlocked.CompareExchange(ref _epoch, await EpochAsync(), null);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Redis is away: the run's own commands will say so.
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs args) => _ = CheckAsync();

    private async Task CheckAsync()
    {
        try
        {
            var current = await EpochAsync();
            var known = Interlocked.Exchange(ref _epoch, current);
            if (current is null || known is null || known == current) return;
            _logger.LogWarning("Redis lost its data (epoch {Before} is now {After}): runs waiting on it end as interrupted", known, current);
            var restarted = Interlocked.Exchange(ref _restarted, new CancellationTokenSource());
            // Not disposed: a waiter may be registering on its token right now.
            await restarted.CancelAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _logger.LogWarning(exception, "Could not ask Redis whether it restarted");
        }
    }

    // The epoch, set first if this Redis has none (a new or emptied server).
    private async Task<string?> EpochAsync()
    {
        var database = _redis.GetDatabase();
        await database.StringSetAsync(ClusterKeys.Epoch, Guid.NewGuid().ToString("N"), when: When.NotExists);
        return await database.StringGetAsync(ClusterKeys.Epoch);
    }

    /// <inheritdoc />
    public void Dispose() => _redis.ConnectionRestored -= OnConnectionRestored;
}
