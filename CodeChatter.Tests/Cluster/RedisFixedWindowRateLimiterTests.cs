using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CodeChatter.Cluster;
using CodeChatter.Web;
using CodeChatter.Web.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CodeChatter.Tests.Cluster;

/// <summary>Rate limiters of two web instances, each with its own connection, on one real Redis.</summary>
public sealed class RedisFixedWindowRateLimiterTests : IAsyncLifetime
{
    private readonly TempRedisServer _server = new();
    private ConnectionMultiplexer _first = null!;
    private ConnectionMultiplexer _second = null!;
    private RedisRateLimiters _instanceA = null!;
    private RedisRateLimiters _instanceB = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _first = await RedisConnection.ConnectAsync(_server.Configuration);
        _second = await RedisConnection.ConnectAsync(_server.Configuration);
        _instanceA = new RedisRateLimiters(_first, NullLogger<RedisRateLimiters>.Instance);
        _instanceB = new RedisRateLimiters(_second, NullLogger<RedisRateLimiters>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_share_one_window_and_the_fourth_acquire_is_refused_with_a_retry_after()
    {
        var window = TimeSpan.FromSeconds(30);
        await WindowClock.RoomForAsync(window, TimeSpan.FromSeconds(10));
        using var limiterA = _instanceA.FixedWindow("api", "token:abc", 3, window);
        using var limiterB = _instanceB.FixedWindow("api", "token:abc", 3, window);

        var granted = new[] { await limiterA.AcquireAsync(), await limiterB.AcquireAsync(), await limiterA.AcquireAsync() };
        using var fourth = await limiterB.AcquireAsync();

        Assert.All(granted, lease => Assert.True(lease.IsAcquired));
        Assert.False(fourth.IsAcquired);
        Assert.True(fourth.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), window);
        // Another partition, and the same partition of another policy, have windows of their own.
        Assert.True((await _instanceB.FixedWindow("api", "token:def", 3, window).AcquireAsync()).IsAcquired);
        Assert.True((await _instanceB.FixedWindow("sign-in", "token:abc", 3, window).AcquireAsync()).IsAcquired);
        Assert.False((await limiterA.AcquireAsync()).IsAcquired);
    }

    [Fact]
    public async Task A_new_window_admits_again()
    {
        var window = TimeSpan.FromSeconds(1);
        await WindowClock.RoomForAsync(window, TimeSpan.FromMilliseconds(500));
        using var limiterA = _instanceA.FixedWindow("api", "address:10.0.0.1", 2, window);
        using var limiterB = _instanceB.FixedWindow("api", "address:10.0.0.1", 2, window);
        Assert.True((await limiterA.AcquireAsync()).IsAcquired);
        Assert.True((await limiterB.AcquireAsync()).IsAcquired);
        using var refused = await limiterA.AcquireAsync();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));

        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(50));

        Assert.True((await limiterB.AcquireAsync()).IsAcquired);
        Assert.True((await limiterA.AcquireAsync()).IsAcquired);
    }

    [Fact]
    public async Task Asking_for_zero_permits_tells_whether_any_are_left_without_using_one()
    {
        var window = TimeSpan.FromSeconds(30);
        await WindowClock.RoomForAsync(window, TimeSpan.FromSeconds(10));
        using var limiterA = _instanceA.FixedWindow("failed-auth", "10.0.0.2", 2, window);
        using var limiterB = _instanceB.FixedWindow("failed-auth", "10.0.0.2", 2, window);

        Assert.True((await limiterA.AcquireAsync(0)).IsAcquired);
        Assert.True((await limiterA.AcquireAsync(0)).IsAcquired);
        Assert.True((await limiterB.AcquireAsync()).IsAcquired);
        Assert.True((await limiterA.AcquireAsync(0)).IsAcquired);
        Assert.True((await limiterA.AcquireAsync()).IsAcquired);
        using var none = await limiterB.AcquireAsync(0);

        Assert.False(none.IsAcquired);
        Assert.True(none.TryGetMetadata(MetadataName.RetryAfter, out _));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limiterA.AcquireAsync(3));
    }

    [Fact]
    public async Task A_synchronous_attempt_never_counts_and_says_to_ask_asynchronously()
    {
        var window = TimeSpan.FromSeconds(30);
        await WindowClock.RoomForAsync(window, TimeSpan.FromSeconds(10));
        using var limiter = _instanceA.FixedWindow("api", "token:sync", 1, window);

        // The rate limiting middleware reads a refusal without a retry-after as "wait asynchronously".
        for (var i = 0; i < 3; i++)
        {
            using var attempt = limiter.AttemptAcquire();
            Assert.False(attempt.IsAcquired);
            Assert.False(attempt.TryGetMetadata(MetadataName.RetryAfter, out _));
        }

        // None of those used the window's one permit.
        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.False((await limiter.AcquireAsync()).IsAcquired);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(2));
    }

    [Fact]
    public async Task The_failed_token_budget_of_one_instance_is_spent_by_failures_on_another()
    {
        await WindowClock.RoomForAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        var limits = Options.Create(new RateLimitOptions { FailedAuthPermitLimit = 2, FailedAuthWindowSeconds = 60 });
        using var budgetA = new FailedTokenBudget(limits, _instanceA);
        using var budgetB = new FailedTokenBudget(limits, _instanceB);

        await budgetA.FailedAsync("10.0.0.3", "cc_guess1");
        Assert.Null(await budgetB.WaitBeforeLookUpAsync("10.0.0.3", "cc_guess2"));
        await budgetA.FailedAsync("10.0.0.3", "cc_guess2");

        var retryAfter = await budgetB.WaitBeforeLookUpAsync("10.0.0.3", "cc_guess3");
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        Assert.Null(await budgetB.WaitBeforeLookUpAsync("10.0.0.4", "cc_guess3"));
    }

    [Fact]
    public async Task With_Redis_gone_requests_are_let_through_and_a_warning_is_logged_once()
    {
        var lost = new TempRedisServer();
        await lost.InitializeAsync();
        await using var connection = await RedisConnection.ConnectAsync(lost.Configuration);
        var log = new WarningLog();
        var limiters = new RedisRateLimiters(connection, log);
        using var limiter = limiters.FixedWindow("sign-in", "sign-in:10.0.0.5", 1, TimeSpan.FromSeconds(60));
        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.False((await limiter.AcquireAsync()).IsAcquired);
        await lost.DisposeAsync();

        var leases = new List<RateLimitLease>();
        for (var i = 0; i < 10; i++) leases.Add(await limiter.AcquireAsync());

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        Assert.Single(log.Warnings);
    }

    /// <summary>Keeps the warnings a limiter logs.</summary>
    private sealed class WarningLog : ILogger<RedisRateLimiters>
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Enqueue(formatter(state, exception));
        }
    }
}

/// <summary>
/// Windows are aligned to the clock: a test counting within one waits for the next if too little of the
/// current one is left, instead of failing now and then when its requests straddle a boundary.
/// </summary>
internal static class WindowClock
{
    public static async Task RoomForAsync(TimeSpan window, TimeSpan needed)
    {
        var windowMs = (long)window.TotalMilliseconds;
        var left = windowMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % windowMs;
        if (left < needed.TotalMilliseconds) await Task.Delay(TimeSpan.FromMilliseconds(left + 20));
    }
}
