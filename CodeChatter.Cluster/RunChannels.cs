using System.Text.Json;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Live traffic of one run between the runner running it and the web instances showing it, over Redis
/// pub/sub: output goes out on <c>cc:run:{executionId}:output</c>, Stop and typed input come in on
/// <c>cc:run:{executionId}:control</c>. Nothing here is stored: the run's result in the database is
/// the record, and this is only the live view of it.
/// </summary>
public sealed class RunChannels(IConnectionMultiplexer redis)
{
    /// <summary>The wire format: small camel-case JSON with a short type tag, no version field.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ISubscriber Subscriber => redis.GetSubscriber();

    /// <summary>
    /// A writer that numbers and publishes the output of <paramref name="executionId"/>. One per run,
    /// used by one caller at a time: the numbers follow the order of its calls.
    /// </summary>
    public RunOutputWriter OpenOutput(long executionId) => new(this, executionId);

    /// <summary>Publishes one output message of <paramref name="executionId"/>; returns how many subscribers got it.</summary>
    public Task<long> PublishOutputAsync(long executionId, RunOutputMessage message) =>
        Subscriber.PublishAsync(ClusterKeys.Output(executionId), JsonSerializer.Serialize(message, Json));

    /// <summary>
    /// Starts listening to the output of <paramref name="executionId"/>. Subscribe before the run is
    /// queued: pub/sub keeps nothing for subscribers that arrive late.
    /// </summary>
    public async Task<RunChannelSubscription<RunOutputMessage>> SubscribeOutputAsync(long executionId) =>
        new(await Subscriber.SubscribeAsync(ClusterKeys.Output(executionId)), message => message is RunEnded);

    /// <summary>
    /// Asks the runner of <paramref name="executionId"/> to stop it, and leaves a mark for a runner that has not
    /// taken it yet (a Stop published while the run waits in the queue reaches nobody).
    /// </summary>
    /// <returns>How many listeners got the Stop.</returns>
    public async Task<long> SendStopAsync(long executionId)
    {
        await redis.GetDatabase().StringSetAsync(ClusterKeys.Stopped(executionId), 1, TimeSpan.FromHours(1));
        return await PublishControlAsync(executionId, new StopRun());
    }

    /// <summary>Whether someone pressed Stop on <paramref name="executionId"/> before a runner took it.</summary>
    public Task<bool> WasStoppedAsync(long executionId) => redis.GetDatabase().KeyExistsAsync(ClusterKeys.Stopped(executionId));

    /// <summary>Sends typed input to the run <paramref name="executionId"/>; returns how many listeners got it.</summary>
    public Task<long> SendInputAsync(long executionId, string text) => PublishControlAsync(executionId, new TypedInput(text));

    /// <summary>Tells the run <paramref name="executionId"/> that its typed input is over.</summary>
    public Task<long> SendEndOfInputAsync(long executionId) => PublishControlAsync(executionId, new EndOfInput());

    /// <summary>Starts listening, as the runner of <paramref name="executionId"/>, for Stop and typed input.</summary>
    public async Task<RunChannelSubscription<RunControlMessage>> SubscribeControlAsync(long executionId) =>
        new(await Subscriber.SubscribeAsync(ClusterKeys.Control(executionId)), _ => false);

    private Task<long> PublishControlAsync(long executionId, RunControlMessage message) =>
        Subscriber.PublishAsync(ClusterKeys.Control(executionId), JsonSerializer.Serialize(message, Json));
}
