using CodeChatter.Core.Execution.Sessions;
using CodeChatter.Tests.Core.Chat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Api;

/// <summary>
/// The whole app with the recording <see cref="FakeSessionRunner"/> in place of the session engine: session
/// conversations' Python, JavaScript and Bash go to the fake (which echoes stdin and typed input rather than
/// running the code); fresh conversations and C still run in the real sandbox.
/// </summary>
public class SessionAppFactory : ChatAppFactory
{
    public FakeSessionRunner Sessions { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ISessionRunner>(Sessions));
    }
}
