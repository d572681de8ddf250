using CodeChatter.Cluster;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

public sealed class RedisRunLimitsTests : IAsyncLifetime
{
    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _first = null!;
    private ConnectionMultiplexer _second = null!;
    private RedisRunLimits _instanceA = null!;
    private RedisRunLimits _instanceB = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        // Two web instances, each with its own connection, share the counts.
        _first = await RedisConnection.ConnectAsync(_server.Configuration);
        _second = await RedisConnection.ConnectAsync(_server.Configuration);
        _instanceA = new RedisRunLimits(_first);
        _instanceB = new RedisRunLimits(_second);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_concurrent_acquires_from_two_instances_take_exactly_the_limit()
    {
        var attempts = Enumerable.Range(0, 50)
            .Select(i => (i % 2 == 0 ? _instanceA : _instanceB).TryAcquireAsync("ann", limit: 3))
            .ToArray();

        var granted = await Task.WhenAll(attempts);

        Assert.Equal(3, granted.Count(g => g is not null));
        Assert.Equal(3, granted.Where(g => g is not null).Distinct().Count());
        Assert.Equal(3, await _instanceA.HeldAsync("ann"));
        Assert.NotNull(await _instanceA.TryAcquireAsync("bob", limit: 3));
    }

    [Fact]
    public async Task Fifty_runs_taking_and_giving_back_slots_never_hold_more_than_the_limit()
    {
        const int limit = 4;
        var holding = 0;
        var mostHeld = 0;

        async Task RunAsync(RedisRunLimits limits)
        {
            string? slot;
            while ((slot = await limits.TryAcquireAsync("ann", limit)) is null) await Task.Yield();
            var now = Interlocked.Increment(ref holding);
            InterlockedMax(ref mostHeld, now);
            InterlockedMax(ref mostHeld, (int)await limits.HeldAsync("ann"));
            Interlocked.Decrement(ref holding);
            await limits.ReleaseAsync("ann", slot);
        }

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => RunAsync(i % 2 == 0 ? _instanceA : _instanceB)))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(mostHeld, 1, limit);
        Assert.Equal(0, await _instanceA.HeldAsync("ann"));
    }

    [Fact]
    public async Task A_slot_given_back_twice_is_given_back_once()
    {
        var first = await _instanceA.TryAcquireAsync("ann", limit: 2);
        var second = await _instanceB.TryAcquireAsync("ann", limit: 2);
        Assert.NotNull(first);
        Assert.NotNull(second);

        await _instanceA.ReleaseAsync("ann", first);
        await _instanceB.ReleaseAsync("ann", first);

        Assert.Equal(1, await _instanceA.HeldAsync("ann"));
        Assert.NotNull(await _instanceA.TryAcquireAsync("ann", limit: 2));
        Assert.Null(await _instanceB.TryAcquireAsync("ann", limit: 2));
    }

    [Fact]
    public async Task The_cluster_wide_queue_fills_to_its_capacity_and_empties_to_zero()
    {
        var granted = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => (i % 2 == 0 ? _instanceA : _instanceB).TryAcquireQueuePlaceAsync(capacity: 10)));

        Assert.Equal(10, granted.Count(g => g is not null));
        Assert.Equal(10, await _instanceA.QueuePlacesTakenAsync());
        await Task.WhenAll(granted.OfType<string>().Select(place => _instanceB.ReleaseQueuePlaceAsync(place)));
        Assert.Equal(0, await _instanceA.QueuePlacesTakenAsync());
        Assert.NotNull(await _instanceA.TryAcquireQueuePlaceAsync(capacity: 10));
    }

    [Fact]
    public async Task A_crashed_instances_slots_come_back_when_their_leases_run_out_even_while_others_keep_taking_slots()
    {
        var crashed = new RedisRunLimits(_first, new RunLimitOptions { SlotExpiry = TimeSpan.FromMilliseconds(400) });
        var busy = new RedisRunLimits(_second, new RunLimitOptions { SlotExpiry = TimeSpan.FromMinutes(5) });
        Assert.NotNull(await crashed.TryAcquireQueuePlaceAsync(capacity: 2));
        Assert.NotNull(await crashed.TryAcquireQueuePlaceAsync(capacity: 2));
        Assert.Null(await busy.TryAcquireQueuePlaceAsync(capacity: 2));

        // The other instance keeps asking (the key never goes quiet); the dead instance's places still come back.
        string? place = null;
        await Eventually.HoldsAsync(async () => (place = await busy.TryAcquireQueuePlaceAsync(capacity: 2)) is not null,
            TimeSpan.FromSeconds(10), "a crashed instance's place coming back");

        Assert.NotNull(place);
        await Eventually.HoldsAsync(async () => await busy.QueuePlacesTakenAsync() == 1, TimeSpan.FromSeconds(10), "the other crashed place coming back");
        Assert.NotNull(await busy.TryAcquireQueuePlaceAsync(capacity: 2));
        Assert.Null(await busy.TryAcquireQueuePlaceAsync(capacity: 2));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
