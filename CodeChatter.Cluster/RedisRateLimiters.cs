using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Makes the rate limiters of a web instance in a cluster: fixed windows counted in Redis, shared by every
/// instance (<see cref="RedisFixedWindowRateLimiter"/>). Registered only when <c>Cluster:Redis</c> is set; the
/// web app uses its in-memory limiters otherwise.
/// </summary>
public sealed class RedisRateLimiters(IConnectionMultiplexer redis, ILogger<RedisRateLimiters> logger, TimeProvider? time = null)
{
    // An outage fails every request's limit check: one warning per this long says so without flooding the log.
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _lastWarning = long.MinValue;

    /// <summary>
    /// A limiter of <paramref name="permitLimit"/> permits per <paramref name="window"/> for one partition of a
    /// policy; limiters made for the same policy, partition and window on any instance share their permits.
    /// </summary>
    /// <param name="policy">The policy's name, part of the Redis key (without colons).</param>
    /// <param name="partition">The partition key (a client address, a token prefix).</param>
    /// <param name="permitLimit">Permits per window.</param>
    /// <param name="window">The window's length.</param>
    public RateLimiter FixedWindow(string policy, string partition, int permitLimit, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrEmpty(policy);
        if (policy.Contains(':', StringComparison.Ordinal)) throw new ArgumentException("A policy name has no colons.", nameof(policy));
        ArgumentNullException.ThrowIfNull(partition);
        return new RedisFixedWindowRateLimiter(redis, this, policy, partition, permitLimit, window, _time);
    }

    /// <summary>An acquired lease for a request whose count Redis could not take; warns at most every half minute.</summary>
    internal RateLimitLease FailOpen(Exception? cause)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == long.MinValue || _time.GetElapsedTime(last, now) >= WarningInterval)
            && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            logger.LogWarning(cause, "Redis did not answer a rate-limit count; requests are let through uncounted until it does.");
        }
        return new RedisFixedWindowRateLimiter.WindowLease(true, null);
    }
}
