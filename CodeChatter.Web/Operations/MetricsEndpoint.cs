using CodeChatter.Core.Observability;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CodeChatter.Web.Operations;

/// <summary>
/// OpenTelemetry metrics in Prometheus' text format at <c>/metrics</c>, for the operator's own monitoring:
/// the app's <c>CodeChatter</c> meter, ASP.NET Core's HTTP server and Kestrel meters, and the runtime's. Only
/// clients in <c>Metrics:AllowedAddresses</c> (addresses or CIDR ranges; loopback by default) are answered;
/// anyone else gets the ordinary 404.
/// </summary>
internal static class MetricsEndpoint
{
    public static IServiceCollection AddCodeChatterMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("codechatter"))
            .WithMetrics(metrics => metrics
            .AddMeter(CodeChatterMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapCodeChatterMetrics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        var allowed = configuration.GetSection("Metrics:AllowedAddresses").Get<string[]>() is { Length: > 0 } listed
            ? new AddressRanges(listed)
            : AddressRanges.Loopback;
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(next => context =>
        {
            if (allowed.Contains(context.Connection.RemoteIpAddress)) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null).AllowAnonymous();
        return endpoints;
    }
}
