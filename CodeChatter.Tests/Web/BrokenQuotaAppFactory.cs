using System.Net;
using CodeChatter.Core.Chat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web;

/// <summary>
/// The app as production runs it (Production environment, so the error handler and not the developer page;
/// real Kestrel, so the request size limits), with a quota check that throws the way it would if its
/// database went away: every run fails after its snippet is stored.
/// </summary>
public sealed class BrokenQuotaAppFactory : ChatAppFactory
{
    /// <summary>What the failure says; it is for the logs, never for the person or script that asked.</summary>
    public const string FailureDetail = "SQLite Error 10: 'disk I/O error' on /srv/codechatter/data/codechatter.db";

    public BrokenQuotaAppFactory()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    protected override string EnvironmentName => "Production";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddScoped<IRunAdmission, BrokenAdmission>());
    }

    private sealed class BrokenAdmission : IRunAdmission
    {
        public ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(FailureDetail);
    }
}
