using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// A fixed-window rate limiter for one partition whose count lives in Redis, so every web instance draws on
/// the same permits: with N instances behind a load balancer the limit is still the limit, not N times it.
/// Windows are aligned to the clock (window number = Unix time / window length), so every instance names the
/// same window the same way; each acquire is one atomic script that counts and sets the window's expiry.
/// </summary>
/// <remarks>
/// When Redis cannot be asked, acquires succeed (fail open) and <see cref="RedisRateLimiters"/> logs a
/// warning: these limits slow down floods and guessing, and a Redis outage must never lock every person out
/// of signing in or of the API. A lease that was refused carries <see cref="MetadataName.RetryAfter"/>: the
/// time left in the window.
/// </remarks>
public sealed class RedisFixedWindowRateLimiter : RateLimiter
{
    // Adds the permits (zero only reads) and gives a new window key its expiry, in one step.
    private const string CountScript = """
        local used = redis.call('INCRBY', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return used
        """;

    private static readonly RateLimitLease Admitted = new WindowLease(true, null);
    private static readonly RateLimitLease AskAsynchronously = new WindowLease(false, null);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRateLimiters _owner;
    private readonly string _keyPrefix;
    private readonly int _permitLimit;
    private readonly long _windowMs;
    private readonly TimeProvider _time;
    private long _lastUsed;
    private long _successful;
    private long _failed;
    private long _available;

    internal RedisFixedWindowRateLimiter(
        IConnectionMultiplexer redis, RedisRateLimiters owner, string policy, string partition, int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1));
        _redis = redis;
        _owner = owner;
        _permitLimit = permitLimit;
        _windowMs = (long)window.TotalMilliseconds;
        _time = time;
        // The window's length is part of the name: instances configured differently never share a count by mistake.
        _keyPrefix = $"cc:rate:{policy}:{_windowMs}ms:{partition}:";
        _lastUsed = time.GetTimestamp();
        _available = permitLimit;
    }

    /// <summary>How long since this partition was last asked: the partitioned limiter drops idle ones (the count stays in Redis).</summary>
    public override TimeSpan? IdleDuration => _time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = Interlocked.Read(ref _available),
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
        TotalFailedLeases = Interlocked.Read(ref _failed),
    };

    /// <summary>
    /// Never counts: counting is a round trip to Redis, and a synchronous call would hold a thread-pool thread
    /// for it. Under load (twenty requests at once on two cores) those blocked threads starved the pool until
    /// Redis's answers timed out. The answer is a refusal without a retry-after, which means "ask
    /// asynchronously": the rate limiting middleware does so (it tries <c>AttemptAcquire</c>, then
    /// <c>AcquireAsync</c>), and every other caller here uses <see cref="RateLimiter.AcquireAsync"/>.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        return AskAsynchronously;
    }

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var window = Begin(permitCount);
        if (!_redis.IsConnected) return _owner.FailOpen(null);
        try
        {
            var used = (long)await _redis.GetDatabase().ScriptEvaluateAsync(CountScript, [window.Key], [permitCount, ExpiryMs]);
            return Decide(used, permitCount, window);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return _owner.FailOpen(exception);
        }
    }

    // A window's key outlives it by a second, so a clock a little behind the others still finds its count.
    private long ExpiryMs => _windowMs + 1000;

    private Window Begin(int permitCount)
    {
        // Like the in-memory limiters: asking for more than the limit can never succeed, so it is a caller's error.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        Interlocked.Exchange(ref _lastUsed, _time.GetTimestamp());
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var number = now / _windowMs;
        return new Window(_keyPrefix + number, TimeSpan.FromMilliseconds((number + 1) * _windowMs - now));
    }

    private RateLimitLease Decide(long used, int permitCount, Window window)
    {
        // Zero permits asks whether any are left; otherwise the permits just counted must fit.
        var acquired = permitCount == 0 ? used < _permitLimit : used <= _permitLimit;
        Interlocked.Exchange(ref _available, Math.Max(0, _permitLimit - used));
        if (acquired) Interlocked.Increment(ref _successful);
        else Interlocked.Increment(ref _failed);
        return acquired ? Admitted : new WindowLease(false, window.Remaining);
    }

    private readonly record struct Window(string Key, TimeSpan Remaining);

    /// <summary>A lease that holds nothing to give back (a window's permits return when it ends), and says when it does.</summary>
    internal sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
