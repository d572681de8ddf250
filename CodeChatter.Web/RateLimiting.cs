using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using CodeChatter.Cluster;
using CodeChatter.Core.Accounts;
using CodeChatter.Web.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace CodeChatter.Web;

/// <summary>Request limits, bound from the <c>RateLimits</c> section; tests and benchmarks raise them.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Sign-in attempts (POSTs of the Login page) per client address per window.</summary>
    [Range(1, 1_000_000)]
    public int SignInPermitLimit { get; set; } = 10;

    /// <summary>The sign-in window, in seconds.</summary>
    [Range(1, 86_400)]
    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>API requests per token (or per client address without one) per window.</summary>
    [Range(1, 10_000_000)]
    public int ApiPermitLimit { get; set; } = 1200;

    /// <summary>The API window, in seconds.</summary>
    [Range(1, 86_400)]
    public int ApiWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Failed bearer-token authentications per client address per window; then that address's tokens are
    /// refused (429) without a lookup, except those that have already worked (see <see cref="Api.FailedTokenBudget"/>).
    /// </summary>
    [Range(1, 10_000_000)]
    public int FailedAuthPermitLimit { get; set; } = 30;

    /// <summary>The failed-token window, in seconds.</summary>
    [Range(1, 86_400)]
    public int FailedAuthWindowSeconds { get; set; } = 60;
}

internal static class RateLimiting
{
    /// <summary>The rate-limiter policy of the Login page's endpoint.</summary>
    public const string SignInPolicy = "sign-in";

    /// <summary>
    /// Sign-in POSTs are limited per client address (slows password guessing across accounts, where
    /// Identity's lockout only protects one account); the API per token prefix, or per address when no
    /// token is sent, so floods of bad tokens are limited too. The partition key needs no database.
    /// The sign-in policy is attached to the Login page's endpoint (see <see cref="PagesServiceCollectionExtensions"/>),
    /// not to a path: every address routing sends to that page ("/Login/", "/Login/.") shares the one limit.
    /// In a cluster the counts live in Redis (see <see cref="FixedWindow"/>): N instances still allow the limit once.
    /// </summary>
    public static IServiceCollection AddCodeChatterRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var limits = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton<FailedTokenBudget>();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(SignInPolicy, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? FixedWindow(context.RequestServices.GetService<RedisRateLimiters>(), SignInPolicy, "sign-in:" + ClientAddress(context), limits.SignInPermitLimit, limits.SignInWindowSeconds)
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(ApiEndpoints.RateLimitPolicy, context =>
                FixedWindow(context.RequestServices.GetService<RedisRateLimiters>(), ApiEndpoints.RateLimitPolicy, ApiPartition(context), limits.ApiPermitLimit, limits.ApiWindowSeconds));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(limits.SignInWindowSeconds);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ApiEndpoints.RetryAfterSeconds(retryAfter);
                var detail = context.Request.Path.StartsWithSegments("/api")
                    ? "Too many API requests; slow down."
                    : "Too many sign-in attempts from this address; wait a minute and try again.";
                if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
                    }))
                {
                    await context.Response.WriteAsync(detail, cancellationToken);
                }
            };
        });
        return services;
    }

    /// <summary>
    /// One fixed window of <paramref name="permits"/> per <paramref name="seconds"/> for a partition: counted in
    /// Redis when this instance is part of a cluster (<paramref name="cluster"/> is set), so every instance draws
    /// on the same permits; in this process otherwise. The Redis count fails open: an outage lets requests
    /// through rather than locking everyone out.
    /// </summary>
    internal static RateLimitPartition<string> FixedWindow(RedisRateLimiters? cluster, string policy, string partition, int permits, int seconds) =>
        cluster is null
            ? RateLimitPartition.GetFixedWindowLimiter(partition, _ => Window(permits, seconds))
            : RateLimitPartition.Get(partition, key => cluster.FixedWindow(policy, key, permits, TimeSpan.FromSeconds(seconds)));

    private static FixedWindowRateLimiterOptions Window(int permits, int seconds) => new()
    {
        PermitLimit = permits, Window = TimeSpan.FromSeconds(seconds), QueueLimit = 0, AutoReplenishment = true,
    };

    private static string ApiPartition(HttpContext context)
    {
        return BearerToken.From(context.Request) is { } token && ApiTokenFormat.PrefixOf(token) is { } prefix
            ? "token:" + prefix
            : "address:" + ClientAddress(context);
    }

    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
