using System.Diagnostics;
using CodeChatter.Cluster;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

public sealed class RunnerLeasesTests : IAsyncLifetime
{
    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _redis = null!;
    private RunnerLeases _leases = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _redis = await RedisConnection.ConnectAsync(_server.Configuration);
        _leases = new RunnerLeases(_redis, new RunnerLeaseOptions
        {
            LeaseTime = TimeSpan.FromSeconds(1), RenewalInterval = TimeSpan.FromMilliseconds(250),
        });
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_runner_that_stops_heartbeating_is_found_dead_within_the_lease_time_and_a_live_one_never_is()
    {
        await using var stopping = new RunnerHeartbeat(_leases, "runner-a");
        await using var beating = new RunnerHeartbeat(_leases, "runner-b");
        await stopping.StartAsync();
        await beating.StartAsync();
        Assert.Empty(await _leases.FindDeadRunnersAsync());

        await stopping.StopAsync();
        var stoppedAt = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            var dead = await _leases.FindDeadRunnersAsync();
            Assert.DoesNotContain("runner-b", dead);
            return dead.Contains("runner-a");
        }, TimeSpan.FromSeconds(10), "runner-a being found dead");

        // Found no sooner than its lease allowed: the beating runner outlived a whole lease time meanwhile.
        Assert.True(stoppedAt.Elapsed >= TimeSpan.FromSeconds(0.5), $"found dead after {stoppedAt.Elapsed}");
        Assert.True(await _leases.IsAliveAsync("runner-b"));
        Assert.Equal(["runner-a"], await _leases.FindDeadRunnersAsync());
    }

    [Fact]
    public async Task Forgetting_removes_a_dead_runner_but_keeps_one_that_came_back()
    {
        await _leases.RenewAsync("runner-a");
        await _leases.RenewAsync("runner-b");
        await _redis.GetDatabase().KeyDeleteAsync(["cc:runners:runner-a", "cc:runners:runner-b"]);
        Assert.Equal(["runner-a", "runner-b"], (await _leases.FindDeadRunnersAsync()).Order());

        await _leases.RenewAsync("runner-b");
        var forgotA = await _leases.ForgetAsync("runner-a");
        var forgotB = await _leases.ForgetAsync("runner-b");

        Assert.True(forgotA);
        Assert.False(forgotB);
        Assert.Empty(await _leases.FindDeadRunnersAsync());
        Assert.Equal(["runner-b"], (await _redis.GetDatabase().SetMembersAsync("cc:runners")).Select(id => id.ToString()));
    }

    [Fact]
    public async Task A_heartbeat_takes_its_lease_again_after_a_Redis_restart()
    {
        await using var heartbeat = new RunnerHeartbeat(_leases, "runner-a");
        await heartbeat.StartAsync();

        await _server.RestartAsync();

        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return await _leases.IsAliveAsync("runner-a");
            }
            catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "runner-a's lease coming back on the restarted Redis");
        Assert.Empty(await _leases.FindDeadRunnersAsync());
    }

    [Fact]
    public async Task A_runner_id_that_would_blur_key_names_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _leases.RenewAsync("runner:a"));
        await Assert.ThrowsAsync<ArgumentException>(() => _leases.RenewAsync(""));
    }
}
