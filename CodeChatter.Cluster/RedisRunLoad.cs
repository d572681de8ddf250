using CodeChatter.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// The cluster's run load as a web instance reports it (admin dashboard, <c>codechatter.runs.active</c> and
/// <c>codechatter.run.queue.depth</c>): running is every run stream's entries taken by a runner and not yet
/// acknowledged (executing, or being stored); waiting is the places in the cluster-wide queue
/// (<see cref="RedisRunLimits"/>) that are not running. The figures are read every
/// <see cref="RefreshEvery"/> and kept, because the metrics ask for them synchronously.
/// </summary>
public sealed class RedisRunLoad(IConnectionMultiplexer redis, RedisRunLimits limits, ILogger<RedisRunLoad> logger)
    : BackgroundService, IRunLoad
{
    /// <summary>How old the figures may be.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    // Every run stream's pending count in one round trip; a stream no runner has read yet (no group) counts 0.
    private const string PendingScript = """
        local running = 0
        for _, stream in ipairs(KEYS) do
          local summary = redis.pcall('XPENDING', stream, ARGV[1])
          if type(summary) == 'table' and type(summary[1]) == 'number' then running = running + summary[1] end
        end
        return running
        """;

    private int _running;
    private int _waiting;
    private bool _warned;

    /// <inheritdoc />
    public int Running => Volatile.Read(ref _running);

    /// <inheritdoc />
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Reads the figures now.</summary>
    public async Task RefreshAsync()
    {
        var database = redis.GetDatabase();
        var runners = await database.SetMembersAsync(ClusterKeys.Runners);
        RedisKey[] streams = [ClusterKeys.SharedRuns, .. runners.Select(runner => ClusterKeys.OwnedRuns(runner.ToString()))];
        var running = (int)(long)await database.ScriptEvaluateAsync(PendingScript, streams, [ClusterKeys.RunnerGroup]);
        var admitted = (int)await limits.QueuePlacesTakenAsync();
        Volatile.Write(ref _running, running);
        Volatile.Write(ref _waiting, Math.Max(0, admitted - running));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery);
        do
        {
            try
            {
                await RefreshAsync();
                _warned = false;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // The last figures stay; one warning per outage is enough.
                if (!_warned) logger.LogWarning(exception, "The run load could not be read from Redis; the dashboard shows the last figures.");
                _warned = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
