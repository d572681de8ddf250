using System.Diagnostics;
using CodeChatter.Cluster;
using CodeChatter.Core;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

/// <summary>Two web instances' gates, each with its own connection, on one real Redis.</summary>
public sealed class RedisRunGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _first = null!;
    private ConnectionMultiplexer _second = null!;
    private RedisRunLimits _counts = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _first = await RedisConnection.ConnectAsync(_server.Configuration);
        _second = await RedisConnection.ConnectAsync(_server.Configuration);
        _counts = new RedisRunLimits(_first);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_persons_run_over_their_limit_is_refused_on_the_other_instance_while_someone_else_is_admitted()
    {
        var (instanceA, instanceB) = (Gate(_first, perUser: 2), Gate(_second, perUser: 2));
        using var first = await instanceA.EnterAsync("ann");
        var second = await instanceB.EnterAsync("ann");

        var refusal = await Assert.ThrowsAsync<RunRefusedException>(() => instanceA.EnterAsync("ann"));
        var refusalElsewhere = await Assert.ThrowsAsync<RunRefusedException>(() => instanceB.EnterAsync("ann"));
        using var other = await instanceB.EnterAsync("bob");

        // The same words as the single-instance queue.
        Assert.Equal("You already have 2 run(s) in progress; the limit is 2 at once.", refusal.Message);
        Assert.Equal(refusal.Message, refusalElsewhere.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), refusal.RetryAfter);
        second.Dispose();
        await Eventually.HoldsAsync(async () => await _counts.HeldAsync("ann") == 1, Patience, "ann's slot coming back");
        using var again = await instanceA.EnterAsync("ann");
        Assert.Equal(2, await _counts.HeldAsync("ann"));
    }

    [Fact]
    public async Task The_cluster_wide_cap_refuses_the_run_past_it_on_either_instance_and_admits_again_when_one_ends()
    {
        var (instanceA, instanceB) = (Gate(_first, perUser: 5, inFlight: 3), Gate(_second, perUser: 5, inFlight: 3));
        using var ann = await instanceA.EnterAsync("ann");
        using var bob = await instanceB.EnterAsync("bob");
        var cat = await instanceA.EnterAsync("cat");

        var refusal = await Assert.ThrowsAsync<RunRefusedException>(() => instanceB.EnterAsync("dan"));

        Assert.Equal("The server is busy: the run queue is full.", refusal.Message);
        Assert.Equal(3, await _counts.QueuePlacesTakenAsync());
        // The refused run's personal slot, taken before the cap was asked, went back.
        await Eventually.HoldsAsync(async () => await _counts.HeldAsync("dan") == 0, Patience, "dan's refused slot coming back");
        cat.Dispose();
        await Eventually.HoldsAsync(async () => await _counts.QueuePlacesTakenAsync() == 2, Patience, "cat's place coming back");
        using var dan = await instanceB.EnterAsync("dan");
        Assert.Equal(3, await _counts.QueuePlacesTakenAsync());
    }

    [Fact]
    public async Task Runs_cancelled_at_any_point_while_entering_leak_no_slot_and_no_place()
    {
        var gates = new[] { Gate(_first, perUser: 3, inFlight: 4), Gate(_second, perUser: 3, inFlight: 4) };
        var attempts = Enumerable.Range(0, 60).Select(async i =>
        {
            // Cancelled before, during or after the two round trips: every outcome must give back what it took.
            using var cancel = new CancellationTokenSource(TimeSpan.FromMicroseconds(i * 50));
            try
            {
                using var slot = await gates[i % 2].EnterAsync(i % 3 == 0 ? "ann" : "bob", cancel.Token);
                await Task.Delay(1, CancellationToken.None);
                return "admitted";
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
            catch (RunRefusedException)
            {
                return "refused";
            }
        });

        var outcomes = await Task.WhenAll(attempts);

        Assert.Contains("cancelled", outcomes);
        await Eventually.HoldsAsync(async () => await _counts.HeldAsync("ann") == 0 && await _counts.HeldAsync("bob") == 0
            && await _counts.QueuePlacesTakenAsync() == 0, Patience, "every slot and place coming back");
    }

    [Fact]
    public async Task An_exception_in_the_run_after_entering_gives_its_slot_and_place_back()
    {
        var gate = Gate(_first, perUser: 1);

        async Task RunThatThrowsAsync()
        {
            using var slot = await gate.EnterAsync("ann");
            throw new InvalidOperationException("the run failed");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(RunThatThrowsAsync);

        await Eventually.HoldsAsync(async () => await _counts.HeldAsync("ann") == 0 && await _counts.QueuePlacesTakenAsync() == 0,
            Patience, "the failed run's slot and place coming back");
        using var next = await gate.EnterAsync("ann");
    }

    [Fact]
    public async Task Disposing_a_slot_twice_gives_back_only_once()
    {
        var gate = Gate(_first, perUser: 2);
        using var kept = await gate.EnterAsync("ann");
        var ended = await gate.EnterAsync("ann");

        ended.Dispose();
        ended.Dispose();

        await Eventually.HoldsAsync(async () => await _counts.HeldAsync("ann") == 1, Patience, "one slot coming back");
        // A second give-back would have freed the kept slot as well.
        await Task.Delay(100);
        Assert.Equal(1, await _counts.HeldAsync("ann"));
        Assert.Equal(1, await _counts.QueuePlacesTakenAsync());
    }

    [Fact]
    public async Task With_Redis_gone_a_run_is_refused_quickly_with_a_retry_after_instead_of_waiting()
    {
        var lost = new TempRedisServer();
        await lost.InitializeAsync();
        await using var connection = await RedisConnection.ConnectAsync(lost.Configuration);
        var gate = Gate(connection, perUser: 2, answerTimeout: TimeSpan.FromMilliseconds(500));
        using (await gate.EnterAsync("ann"))
        {
        }
        await lost.DisposeAsync();

        var waited = Stopwatch.StartNew();
        var refusal = await Assert.ThrowsAsync<RunRefusedException>(() => gate.EnterAsync("ann"));

        Assert.Contains("Redis", refusal.Message);
        Assert.Equal(RedisRunGate.UnreachableRetryAfter, refusal.RetryAfter);
        Assert.InRange(waited.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_web_instance_with_Cluster_Redis_set_enters_the_Redis_gate_and_one_without_it_the_local_queue()
    {
        static Type GateOf(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            using var provider = new ServiceCollection().AddLogging().AddCodeChatterCore(configuration).AddCodeChatterCluster(configuration)
                .BuildServiceProvider();
            return provider.GetRequiredService<IRunGate>().GetType();
        }

        Assert.Equal(typeof(FairRunQueue), GateOf([]));
        Assert.Equal(typeof(RedisRunGate), GateOf(new() { ["Cluster:Redis"] = _server.Configuration, ["Cluster:Role"] = "web" }));
        Assert.Equal(typeof(RedisRunGate), GateOf(new() { ["Cluster:Redis"] = _server.Configuration, ["Cluster:Role"] = "both" }));
        // A runner serves no requests: nothing enters a gate there, the stream bounds its work.
        Assert.Equal(typeof(FairRunQueue), GateOf(new() { ["Cluster:Redis"] = _server.Configuration, ["Cluster:Role"] = "runner" }));
        var invalid = Assert.Throws<InvalidOperationException>(() =>
            GateOf(new() { ["Cluster:Redis"] = _server.Configuration, ["Cluster:Role"] = "web", ["Cluster:MaxRunsInFlight"] = "0" }));
        Assert.Contains("MaxRunsInFlight", invalid.Message);
    }

    [Fact]
    public void The_cap_on_runs_in_flight_defaults_to_the_room_of_one_instance()
    {
        var execution = new ExecutionOptions { QueueCapacity = 64, MaxConcurrentRuns = 8 };

        Assert.Equal(72, new ClusterOptions().ResolvedMaxRunsInFlight(execution));
        Assert.Equal(500, new ClusterOptions { MaxRunsInFlight = 500 }.ResolvedMaxRunsInFlight(execution));
    }

    private static RedisRunGate Gate(IConnectionMultiplexer redis, int perUser, int inFlight = 100, TimeSpan? answerTimeout = null) => new(
        redis,
        new RedisRunLimits(redis),
        Options.Create(new ExecutionOptions { MaxConcurrentRunsPerUser = perUser, WallTimeLimitMs = 3000 }),
        Options.Create(new ClusterOptions { MaxRunsInFlight = inFlight }),
        NullLogger<RedisRunGate>.Instance,
        answerTimeout);
}
