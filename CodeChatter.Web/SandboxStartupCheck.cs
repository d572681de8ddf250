using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web;

/// <summary>
/// Refuses to start outside Development when no sandbox is available, unless
/// <c>Execution:AllowUnsandboxed</c> is set; and says loudly when runs are not isolated.
/// </summary>
internal sealed class SandboxStartupCheck(
    SandboxEnvironment sandbox, IOptions<ExecutionOptions> options, IHostEnvironment hostEnvironment,
    LanguageCatalog languages, ILogger<SandboxStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (sandbox.Level == SandboxLevel.Bubblewrap)
        {
            logger.LogInformation("Runs are sandboxed with bubblewrap; cgroups: {Cgroups}; languages: {Languages}",
                sandbox.CgroupDescription, string.Join(", ", languages.Available.Select(l => l.Id)));
            return Task.CompletedTask;
        }
        if (!hostEnvironment.IsDevelopment() && !options.Value.AllowUnsandboxed)
        {
            throw new InvalidOperationException(
                $"bubblewrap was not found at {options.Value.BubblewrapPath}, so snippets cannot be sandboxed. " +
                "Install it (apt-get install bubblewrap), or set Execution:AllowUnsandboxed=true to run " +
                "untrusted code with rlimits only (never on a shared instance).");
        }
        logger.LogCritical("RUNS ARE NOT SANDBOXED: bubblewrap was not found at {Path}. Snippets run with rlimits only " +
            "and can read anything the server can. Install bubblewrap before letting anyone else in.", options.Value.BubblewrapPath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class SandboxStartupCheckExtensions
{
    public static IServiceCollection AddSandboxStartupCheck(this IServiceCollection services) =>
        services.AddHostedService<SandboxStartupCheck>();
}
