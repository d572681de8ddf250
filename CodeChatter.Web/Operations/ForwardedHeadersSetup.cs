using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CodeChatter.Web.Operations;

/// <summary>
/// Behind a reverse proxy, the client's address and scheme come from <c>X-Forwarded-For</c>/<c>-Proto</c>, but
/// only on connections from the proxies listed under <c>ForwardedHeaders:KnownProxies</c> (addresses) and
/// <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges). With none listed the headers are ignored: anyone could
/// otherwise pick the address the rate limiter, the audit log, <c>/metrics</c> and the health details see.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string SectionName = "ForwardedHeaders";

    public static IServiceCollection AddCodeChatterForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here only what the operator lists is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>Reads the forwarded headers when proxies are configured; leaves every request as it came otherwise.</summary>
    public static IApplicationBuilder UseCodeChatterForwardedHeaders(this WebApplication app)
    {
        var section = app.Configuration.GetSection(SectionName);
        var configured = section.GetSection("KnownProxies").Get<string[]>() is { Length: > 0 }
            || section.GetSection("KnownNetworks").Get<string[]>() is { Length: > 0 };
        return configured ? app.UseForwardedHeaders() : app;
    }
}
