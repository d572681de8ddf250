using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CodeChatter.Cluster;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Api;

/// <summary>
/// Failed token authentications per client address, asked before the database is. A flood of made-up tokens
/// gives every request a prefix of its own, so the API's per-token limit never sees it; this budget does.
/// Only failures count. Once an address has used up its budget, its bearer requests are refused until the
/// window ends, except with a token that has already proved valid here: a script keeps working while someone
/// behind the same address guesses. (That token is still looked up, so revoking it still takes effect.)
/// </summary>
public sealed class FailedTokenBudget : IDisposable
{
    /// <summary>The budget's name among the rate limits (part of its Redis key in a cluster).</summary>
    public const string FailedAuthPolicy = "failed-auth";

    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;
    // SHA-256 of each token that authenticated since start-up (never the token): as many as there are real tokens.
    private readonly ConcurrentDictionary<string, bool> _provedValid = new();

    /// <summary>Creates the budget from the failed-token limits.</summary>
    /// <param name="options">The budget and its window.</param>
    /// <param name="cluster">
    /// In a cluster, the failures are counted in Redis, so an address guessing across several web instances
    /// spends one budget; null counts them in this process.
    /// </param>
    public FailedTokenBudget(IOptions<RateLimitOptions> options, RedisRateLimiters? cluster = null)
    {
        var limits = options.Value;
        _window = TimeSpan.FromSeconds(limits.FailedAuthWindowSeconds);
        _failures = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimiting.FixedWindow(cluster, FailedAuthPolicy, address, limits.FailedAuthPermitLimit, limits.FailedAuthWindowSeconds));
    }

    /// <summary>Null when a token from this address may be looked up; otherwise how long until it may.</summary>
    public async ValueTask<TimeSpan?> WaitBeforeLookUpAsync(string address, string token, CancellationToken cancellationToken = default)
    {
        if (_provedValid.ContainsKey(Key(token))) return null;
        // Zero permits: asks whether any are left without using one.
        using var lease = await CountAsync(address, 0, cancellationToken);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
    }

    /// <summary>Counts a token that did not authenticate against its address.</summary>
    public async ValueTask FailedAsync(string address, string token, CancellationToken cancellationToken = default)
    {
        _provedValid.TryRemove(Key(token), out _);
        (await CountAsync(address, 1, cancellationToken)).Dispose();
    }

    /// <summary>
    /// Asks the way the rate limiting middleware does: the in-process limiter answers at once (and its
    /// asynchronous zero-permit ask would wait for the next window); the Redis one answers a synchronous attempt
    /// with a refusal without a retry-after, meaning "ask asynchronously", since its count is a round trip.
    /// </summary>
    private async ValueTask<RateLimitLease> CountAsync(string address, int permits, CancellationToken cancellationToken)
    {
        var lease = _failures.AttemptAcquire(address, permits);
        if (lease.IsAcquired || lease.TryGetMetadata(MetadataName.RetryAfter, out _)) return lease;
        lease.Dispose();
        return await _failures.AcquireAsync(address, permits, cancellationToken);
    }

    /// <summary>Remembers a token that authenticated, so its address's failures no longer stop it.</summary>
    public void Succeeded(string token) => _provedValid.TryAdd(Key(token), true);

    public void Dispose() => _failures.Dispose();

    private static string Key(string token) => Convert.ToHexString(Core.Accounts.ApiTokenFormat.Hash(token));
}
