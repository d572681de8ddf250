using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Which runners are alive: each runner keeps a key <c>cc:runners:{id}</c> that expires unless it is
/// renewed, and names itself in the set <c>cc:runners</c>. A runner in the set whose key has expired
/// stopped renewing (killed, frozen or cut off) and its runs are to be ended as interrupted.
/// </summary>
public sealed class RunnerLeases(IConnectionMultiplexer redis, RunnerLeaseOptions? options = null)
{
    // A runner that came back between being found dead and being forgotten keeps its registration.
    private const string ForgetScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        return redis.call('SREM', KEYS[1], ARGV[1])
        """;

    /// <summary>The lease timings in use.</summary>
    public RunnerLeaseOptions Options { get; } = options ?? new RunnerLeaseOptions();

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Takes or renews <paramref name="runnerId"/>'s lease for <see cref="RunnerLeaseOptions.LeaseTime"/>.</summary>
    public async Task RenewAsync(string runnerId, CancellationToken cancellationToken = default)
    {
        ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
        cancellationToken.ThrowIfCancellationRequested();
        // The lease first, then the registration, in one transaction: a registered runner without a
        // lease key is then always one whose lease expired, never one half-way through starting.
        var transaction = Database.CreateTransaction();
        _ = transaction.StringSetAsync(ClusterKeys.Lease(runnerId), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Options.LeaseTime);
        _ = transaction.SetAddAsync(ClusterKeys.Runners, runnerId);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="runnerId"/> holds a live lease now.</summary>
    public async Task<bool> IsAliveAsync(string runnerId, CancellationToken cancellationToken = default)
    {
        ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
        return await Database.KeyExistsAsync(ClusterKeys.Lease(runnerId)).WaitAsync(cancellationToken);
    }

    /// <summary>The registered runners whose lease has expired, for the reaper to end their runs.</summary>
    public async Task<IReadOnlyList<string>> FindDeadRunnersAsync(CancellationToken cancellationToken = default)
    {
        var registered = await Database.SetMembersAsync(ClusterKeys.Runners).WaitAsync(cancellationToken);
        var batch = Database.CreateBatch();
        var checks = registered.Select(id => (Id: id.ToString(), Alive: batch.KeyExistsAsync(ClusterKeys.Lease(id.ToString())))).ToArray();
        batch.Execute();
        var dead = new List<string>();
        foreach (var (id, alive) in checks)
        {
            if (!await alive.WaitAsync(cancellationToken)) dead.Add(id);
        }
        return dead;
    }

    /// <summary>
    /// Removes a reaped runner from the registry, unless it renewed its lease meanwhile (then it is
    /// alive after all and stays). True when it was removed.
    /// </summary>
    public async Task<bool> ForgetAsync(string runnerId, CancellationToken cancellationToken = default)
    {
        ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
        cancellationToken.ThrowIfCancellationRequested();
        var removed = await Database.ScriptEvaluateAsync(ForgetScript, [ClusterKeys.Runners, ClusterKeys.Lease(runnerId)], [runnerId]);
        return (long)removed == 1;
    }
}
