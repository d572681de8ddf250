using CodeChatter.Cluster;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

public sealed class RunChannelsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _runnerRedis = null!;
    private ConnectionMultiplexer _webRedis = null!;
    private RunChannels _runner = null!;
    private RunChannels _web = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        // The runner and the web instance each have their own connection, as on two machines.
        _runnerRedis = await RedisConnection.ConnectAsync(_server.Configuration);
        _webRedis = await RedisConnection.ConnectAsync(_server.Configuration);
        _runner = new RunChannels(_runnerRedis);
        _web = new RunChannels(_webRedis);
    }

    public async Task DisposeAsync()
    {
        await _runnerRedis.DisposeAsync();
        await _webRedis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Output_chunks_reach_another_connection_in_order_and_the_end_comes_last()
    {
        await using var subscription = await _web.SubscribeOutputAsync(42);
        var received = ReadAllAsync(subscription);
        var writer = _runner.OpenOutput(42);

        for (var i = 0; i < 200; i++)
        {
            await writer.WriteAsync(i % 3 == 2 ? OutputStreamName.Stderr : OutputStreamName.Stdout, $"line {i}\n");
        }
        await writer.EndAsync("succeeded");
        var messages = await received.WaitAsync(Timeout);

        Assert.Equal(201, messages.Count);
        Assert.Equal(Enumerable.Range(1, 201).Select(i => (long)i), messages.Select(message => message.Sequence));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"line {i}\n"), messages.OfType<OutputChunk>().Select(chunk => chunk.Text));
        Assert.Equal(OutputStreamName.Stderr, ((OutputChunk)messages[2]).Stream);
        Assert.Equal(new RunEnded(201, "succeeded"), messages[^1]);
    }

    [Fact]
    public async Task Output_of_another_run_does_not_reach_a_subscriber()
    {
        await using var subscription = await _web.SubscribeOutputAsync(1);
        var received = ReadAllAsync(subscription);

        await _runner.OpenOutput(2).WriteAsync(OutputStreamName.Stdout, "not yours");
        await _runner.OpenOutput(1).EndAsync("failed");

        Assert.Equal([new RunEnded(1, "failed")], await received.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Stop_and_typed_input_reach_the_runner()
    {
        await using var control = await _runner.SubscribeControlAsync(42);
        await using var messages = control.ReadAllAsync().GetAsyncEnumerator();

        Assert.Equal(1, await _web.SendInputAsync(42, "ann\n"));
        Assert.Equal(1, await _web.SendStopAsync(42));

        Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(new TypedInput("ann\n"), messages.Current);
        Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.IsType<StopRun>(messages.Current);
    }

    [Fact]
    public async Task A_disposed_subscription_is_unsubscribed_and_its_reader_ends()
    {
        var control = await _runner.SubscribeControlAsync(42);
        var reading = control.ReadAllAsync().ToListAsync().AsTask();

        await control.DisposeAsync();

        Assert.Empty(await reading.WaitAsync(Timeout));
        Assert.Equal(0, await _web.SendStopAsync(42));
    }

    [Fact]
    public async Task A_subscription_made_before_a_Redis_restart_receives_again_after_it()
    {
        await using var control = await _runner.SubscribeControlAsync(42);
        await using var messages = control.ReadAllAsync().GetAsyncEnumerator();

        await _server.RestartAsync();
        // The client subscribes again on its own once it has reconnected; until then a Stop reaches nobody.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return await _web.SendStopAsync(42) == 1;
            }
            catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
            {
                return false;
            }
        }, Timeout, "a Stop reaching the resubscribed runner");

        Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.IsType<StopRun>(messages.Current);
    }

    [Fact]
    public void The_wire_format_is_small_versionless_json()
    {
        Assert.Equal("""{"t":"chunk","stream":"stdout","text":"hi\n","sequence":3}""",
            System.Text.Json.JsonSerializer.Serialize<RunOutputMessage>(new OutputChunk(3, OutputStreamName.Stdout, "hi\n"), RunChannels.Json));
        Assert.Equal("""{"t":"stop"}""", System.Text.Json.JsonSerializer.Serialize<RunControlMessage>(new StopRun(), RunChannels.Json));
    }

    private static async Task<List<RunOutputMessage>> ReadAllAsync(RunChannelSubscription<RunOutputMessage> subscription)
    {
        var messages = new List<RunOutputMessage>();
        await foreach (var message in subscription.ReadAllAsync()) messages.Add(message);
        return messages;
    }
}
