using System.Collections.Concurrent;
using CodeChatter.Cluster;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

public sealed class RedisRunQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Block = TimeSpan.FromMilliseconds(300);
    private static readonly RunnerLeaseOptions ShortLeases = new()
    {
        LeaseTime = TimeSpan.FromSeconds(1), RenewalInterval = TimeSpan.FromMilliseconds(250),
    };

    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _redis = null!;
    private RedisRunQueue _queue = null!;
    private RunnerLeases _leases = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _redis = await RedisConnection.ConnectAsync(_server.Configuration);
        _queue = new RedisRunQueue(_redis);
        _leases = new RunnerLeases(_redis, ShortLeases);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static RunTicket Ticket(long executionId, string owner = "ann") => new(executionId, owner, $$"""{"code":"print({{executionId}})"}""");

    [Fact]
    public async Task A_ticket_is_read_by_exactly_one_of_two_runners()
    {
        await _queue.EnqueueAsync(Ticket(1));

        var first = _queue.ReadAsync("runner-a", 10, Block);
        var second = _queue.ReadAsync("runner-b", 10, Block);
        var read = (await first).Concat(await second).ToList();

        var entry = Assert.Single(read);
        Assert.Equal(Ticket(1), entry.Ticket);
        Assert.Equal("cc:runs", entry.Stream);
        Assert.True(await _queue.AcknowledgeAsync(entry));
        Assert.Empty(await _queue.ReadAsync("runner-a", 10, Block));
        Assert.Empty(await _queue.ReadAsync("runner-b", 10, Block));
        Assert.Equal(0, await _redis.GetDatabase().StreamLengthAsync("cc:runs"));
    }

    [Fact]
    public async Task Two_hundred_tickets_from_ten_owners_are_each_read_exactly_once_by_two_runners()
    {
        var tickets = Enumerable.Range(1, 200).Select(id => Ticket(id, $"owner-{id % 10}")).ToList();
        var reads = new ConcurrentBag<(string Runner, RunQueueEntry Entry)>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        async Task RunAsync(string runner)
        {
            while (reads.Count < tickets.Count && !done.IsCancellationRequested)
            {
                foreach (var entry in await _queue.ReadAsync(runner, 7, Block))
                {
                    reads.Add((runner, entry));
                    await _queue.AcknowledgeAsync(entry);
                }
            }
        }

        var runners = new[] { RunAsync("runner-a"), RunAsync("runner-b") };
        foreach (var ticket in tickets) await _queue.EnqueueAsync(ticket);
        await Task.WhenAll(runners);

        Assert.Equal(tickets.Count, reads.Count);
        Assert.Equal(tickets.OrderBy(t => t.ExecutionId), reads.Select(read => read.Entry.Ticket).OrderBy(t => t.ExecutionId));
        Assert.All(reads.GroupBy(read => read.Entry.EntryId), group => Assert.Single(group));
        Assert.Equal(0, await _redis.GetDatabase().StreamLengthAsync("cc:runs"));
    }

    [Fact]
    public async Task A_dead_runners_unacknowledged_ticket_is_taken_back_once_and_never_reaches_another_runner()
    {
        await using var deadHeartbeat = new RunnerHeartbeat(_leases, "runner-dead");
        await using var liveHeartbeat = new RunnerHeartbeat(_leases, "runner-live");
        await deadHeartbeat.StartAsync();
        await liveHeartbeat.StartAsync();
        await _queue.EnqueueAsync(Ticket(7));
        var taken = Assert.Single(await _queue.ReadAsync("runner-dead", 10, Block));

        await deadHeartbeat.StopAsync();
        await Eventually.HoldsAsync(async () => (await _leases.FindDeadRunnersAsync()).Contains("runner-dead"),
            TimeSpan.FromSeconds(10), "runner-dead's lease lapsing");
        var abandoned = await _queue.TakeAbandonedAsync("runner-dead");
        var again = await _queue.TakeAbandonedAsync("runner-dead");

        Assert.Equal([taken], abandoned);
        Assert.Empty(again);
        Assert.Equal(["runner-dead"], await _leases.FindDeadRunnersAsync());
        Assert.Empty(await _queue.ReadAsync("runner-live", 10, Block));
        Assert.False(await _queue.AcknowledgeAsync(taken));
        Assert.Equal(0, await _redis.GetDatabase().StreamLengthAsync("cc:runs"));
    }

    [Fact]
    public async Task Reaping_one_runner_leaves_another_runners_unacknowledged_tickets_alone()
    {
        await _queue.EnqueueAsync(Ticket(1));
        var mine = Assert.Single(await _queue.ReadAsync("runner-dead", 1, Block));
        await _queue.EnqueueAsync(Ticket(2));
        var theirs = Assert.Single(await _queue.ReadAsync("runner-live", 1, Block));

        var abandoned = await _queue.TakeAbandonedAsync("runner-dead");

        Assert.Equal([mine], abandoned);
        Assert.True(await _queue.AcknowledgeAsync(theirs));
    }

    [Fact]
    public async Task A_ticket_for_a_runners_own_stream_reaches_only_that_runner()
    {
        await _leases.RenewAsync("runner-a");
        await _leases.RenewAsync("runner-b");

        var id = await _queue.EnqueueAsync(Ticket(3), runnerId: "runner-a");

        Assert.NotNull(id);
        Assert.Empty(await _queue.ReadAsync("runner-b", 10, Block));
        var entry = Assert.Single(await _queue.ReadAsync("runner-a", 10, Block));
        Assert.Equal(("cc:runs:runner-a", id, Ticket(3)), (entry.Stream, entry.EntryId, entry.Ticket));
        Assert.True(await _queue.AcknowledgeAsync(entry));
    }

    [Fact]
    public async Task A_ticket_for_a_runner_without_a_live_lease_is_not_queued()
    {
        var id = await _queue.EnqueueAsync(Ticket(4), runnerId: "runner-gone");

        Assert.Null(id);
        Assert.False(await _redis.GetDatabase().KeyExistsAsync("cc:runs:runner-gone"));
    }

    [Fact]
    public async Task Tickets_in_a_dead_runners_own_stream_are_taken_back_read_or_not_and_never_run_elsewhere()
    {
        await using var heartbeat = new RunnerHeartbeat(_leases, "runner-dead");
        await heartbeat.StartAsync();
        await _queue.EnqueueAsync(Ticket(10), runnerId: "runner-dead");
        var started = Assert.Single(await _queue.ReadAsync("runner-dead", 1, Block));
        await _queue.EnqueueAsync(Ticket(11), runnerId: "runner-dead");

        await heartbeat.StopAsync();
        await Eventually.HoldsAsync(async () => !await _leases.IsAliveAsync("runner-dead"),
            TimeSpan.FromSeconds(10), "runner-dead's lease lapsing");
        var abandoned = await _queue.TakeAbandonedAsync("runner-dead");

        Assert.Equal([Ticket(10), Ticket(11)], abandoned.Select(entry => entry.Ticket));
        Assert.Equal(started, abandoned[0]);
        Assert.Null(await _queue.EnqueueAsync(Ticket(12), runnerId: "runner-dead"));
        Assert.Empty(await _queue.ReadAsync("runner-other", 10, Block));
        Assert.Empty(await _queue.TakeAbandonedAsync("runner-dead"));
    }

    [Fact]
    public async Task A_ticket_enqueued_while_a_runner_waits_is_read_by_that_wait()
    {
        var waiting = _queue.ReadAsync("runner-a", 1, TimeSpan.FromSeconds(10));
        await _queue.EnqueueAsync(Ticket(5));

        var entry = Assert.Single(await waiting);

        Assert.Equal(Ticket(5), entry.Ticket);
    }

    [Fact]
    public async Task After_a_Redis_restart_the_same_connection_enqueues_and_reads_again()
    {
        await _queue.EnqueueAsync(Ticket(1));
        Assert.Single(await _queue.ReadAsync("runner-a", 10, Block));

        await _server.RestartAsync();

        RunQueueEntry? entry = null;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await _queue.EnqueueAsync(Ticket(2));
                entry = (await _queue.ReadAsync("runner-a", 10, Block)).FirstOrDefault();
                return entry is not null;
            }
            catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "enqueue and read through the same connection after the restart");
        Assert.Equal(Ticket(2), entry!.Ticket);
    }
}
