using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Opens the one Redis connection an instance shares between the queue, the leases, the channels and
/// the limits, from the <c>Cluster:Redis</c> setting (a StackExchange.Redis configuration string such
/// as <c>127.0.0.1:6379</c> or <c>redis.internal:6379,password=...</c>).
/// </summary>
public static class RedisConnection
{
    /// <summary>The configuration key holding the connection string.</summary>
    public const string ConfigurationKey = "Cluster:Redis";

    /// <summary>
    /// The options for <paramref name="configuration"/>, made to ride out a Redis restart: never give up
    /// on a failed connect (<c>AbortOnConnectFail=false</c>, the connection keeps retrying in the
    /// background), and retry quickly at first so a restart costs a second or two, not many.
    /// </summary>
    public static ConfigurationOptions Options(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 5_000);
        return options;
    }

    /// <summary>
    /// Connects with <see cref="Options"/>. Returns even if Redis is not reachable yet: commands then
    /// wait for the connection (up to the configured timeouts) instead of failing at start-up.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, TextWriter? log = null) =>
        await ConnectionMultiplexer.ConnectAsync(Options(configuration), log);
}
