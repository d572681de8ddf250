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

    /// <summary>Whether a token from this address may be looked up; if not, how long until it may.</summary>
    public bool MayLookUp(string address, string token, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_provedValid.ContainsKey(Key(token))) return true;
        // Zero permits: asks whether any are left without using one.
        using var lease = _failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired) return true;
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
        return false;
    }

    /// <summary>Counts a token that did not authenticate against its address.</summary>
    public void Failed(string address, string token)
    {
        _provedValid.TryRemove(Key(token), out _);
        _failures.AttemptAcquire(address).Dispose();
    }

    /// <summary>Remembers a token that authenticated, so its address's failures no longer stop it.</summary>
    public void Succeeded(string token) => _provedValid.TryAdd(Key(token), true);

    public void Dispose() => _failures.Dispose();

    private static string Key(string token) => Convert.ToHexString(Core.Accounts.ApiTokenFormat.Hash(token));
}
