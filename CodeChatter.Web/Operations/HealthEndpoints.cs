using System.Text.Json;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sandbox;
using CodeChatter.Core.Operations;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Operations;

/// <summary>
/// <c>/healthz</c>: the process answers (no check runs). <c>/readyz</c>: the database answers a query, the
/// sandbox is usable and the pre-started sandbox pools have filled. Both are anonymous and answer only
/// <c>Healthy</c>/<c>Degraded</c>/<c>Unhealthy</c> (503 when unhealthy), except to a client on this machine,
/// which gets each check's status and description as JSON.
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddCodeChatterHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<SandboxHealthCheck>("sandbox", tags: [Ready])
            .AddCheck<PrestartPoolHealthCheck>("prestarted_sandboxes", tags: [Ready]);
        services.AddSingleton<PrestartPoolHealthCheck>();
        return services;
    }

    public static IEndpointRouteBuilder MapCodeChatterHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!AddressRanges.Loopback.Contains(context.Connection.RemoteIpAddress))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description ?? entry.Value.Exception?.Message,
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
            }),
        }));
    }
}

/// <summary>The database answers a query (a failure is reported with its message, from localhost only).</summary>
internal sealed class DatabaseHealthCheck(IDatabaseProbe database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.AnswersAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(exception.Message, exception);
        }
    }
}

/// <summary>Runs can be isolated: bubblewrap is there and some language can run; unsandboxed runs are degraded.</summary>
internal sealed class SandboxHealthCheck(SandboxEnvironment sandbox, LanguageCatalog languages) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var available = languages.Available.Select(language => language.Id).ToList();
        if (available.Count == 0) return Task.FromResult(HealthCheckResult.Unhealthy("no configured language is installed"));
        return Task.FromResult(sandbox.Level == SandboxLevel.Bubblewrap
            ? HealthCheckResult.Healthy($"bubblewrap; cgroups: {sandbox.CgroupDescription}; languages: {string.Join(", ", available)}")
            : HealthCheckResult.Degraded("runs are NOT sandboxed (no bubblewrap)"));
    }
}

/// <summary>
/// Unhealthy until the pre-started sandbox pools have first filled (a new server is not ready before); after
/// that a pool that is refilling behind a run is only degraded (each run takes one, so that is most of the time
/// under load).
/// </summary>
internal sealed class PrestartPoolHealthCheck(ICodeExecutor executor, IOptions<ExecutionOptions> options) : IHealthCheck
{
    private volatile bool _filledOnce;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pools = executor is SandboxedExecutor sandboxed ? sandboxed.PrestartedByLanguage : new Dictionary<string, int>();
        if (pools.Count == 0) return Task.FromResult(HealthCheckResult.Healthy("no pre-started sandboxes are kept"));
        var wanted = options.Value.PrestartedSandboxesPerLanguage;
        var description = string.Join(", ", pools.OrderBy(pool => pool.Key, StringComparer.Ordinal).Select(pool => $"{pool.Key} {pool.Value}/{wanted}"));
        if (pools.Values.All(count => count >= wanted))
        {
            _filledOnce = true;
            return Task.FromResult(HealthCheckResult.Healthy(description));
        }
        return Task.FromResult(_filledOnce ? HealthCheckResult.Degraded("refilling: " + description) : HealthCheckResult.Unhealthy("starting: " + description));
    }
}
