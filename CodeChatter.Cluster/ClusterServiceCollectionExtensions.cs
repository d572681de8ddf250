using CodeChatter.Core.Execution;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>Turns one process into a cluster member when <c>Cluster:Redis</c> is set; otherwise changes nothing.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Redis connection, queue, channels and leases, and by <c>Cluster:Role</c> the queue-backed
    /// executor (web) and the runner worker (runner); <c>both</c> does both.
    /// </summary>
    public static IServiceCollection AddCodeChatterCluster(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ClusterOptions.Section);
        var options = section.Get<ClusterOptions>() ?? new ClusterOptions();
        if (string.IsNullOrWhiteSpace(options.Redis)) return services;
        if (options.Role is not (ClusterRoles.Web or ClusterRoles.Runner or ClusterRoles.Both))
        {
            throw new InvalidOperationException($"Cluster:Role is \"{options.Role}\"; it must be web, runner or both.");
        }
        services.Configure<ClusterOptions>(section);
        // Connected lazily on first use and reconnecting on its own: a Redis restart never needs the app restarted.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConnection.Options(options.Redis)));
        services.AddSingleton(provider => new RedisRunQueue(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddSingleton(provider => new RunChannels(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddSingleton(provider => new RunnerLeases(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton<RedisRestarts>();
        if (options.Serves)
        {
            // Stored runs go to the queue; whichever runner takes one executes and stores it. A session's messages
            // go to the runner holding the session.
            services.AddSingleton<QueuedRunRelay>();
            services.RemoveAll<ICodeExecutor>();
            services.AddSingleton<ICodeExecutor, RedisCodeExecutor>();
            services.RemoveAll<Core.Execution.Sessions.ISessionRunner>();
            services.AddSingleton<Core.Execution.Sessions.ISessionRunner, ClusterSessionRunner>();
            // A run queued by another web instance is watched, stopped and typed into from this one too.
            services.RemoveAll<Core.Chat.IRunsElsewhere>();
            services.AddSingleton<Core.Chat.IRunsElsewhere, RedisRunsElsewhere>();
            AddSharedLimits(services, options);
        }
        if (options.Runs)
        {
            services.AddHostedService<RunnerWorker>();
        }
        else
        {
            // A web-only instance runs no fresh boxes of its own: nothing to keep warm.
            services.PostConfigure<ExecutionOptions>(execution => execution.PrestartedSandboxesPerLanguage = 0);
        }
        return services;
    }

    /// <summary>
    /// Per-person run limits, the cap on runs in flight and the request rate limits, counted in Redis so that
    /// they hold across every web instance instead of once per instance.
    /// </summary>
    private static void AddSharedLimits(IServiceCollection services, ClusterOptions options)
    {
        if (options.MaxRunsInFlight is < 1)
        {
            throw new InvalidOperationException($"Cluster:MaxRunsInFlight is {options.MaxRunsInFlight}; it must be at least 1.");
        }
        services.AddSingleton(provider => new RedisRunLimits(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.RemoveAll<Core.Scheduling.IRunGate>();
        services.AddSingleton<Core.Scheduling.IRunGate, RedisRunGate>();
        // The dashboard and the metrics report the cluster's runs, not this instance's unused in-process queue.
        services.AddSingleton<RedisRunLoad>();
        services.AddHostedService(provider => provider.GetRequiredService<RedisRunLoad>());
        services.RemoveAll<Core.Scheduling.IRunLoad>();
        services.AddSingleton<Core.Scheduling.IRunLoad>(provider => provider.GetRequiredService<RedisRunLoad>());
        services.AddSingleton<RedisRateLimiters>();
    }
}
