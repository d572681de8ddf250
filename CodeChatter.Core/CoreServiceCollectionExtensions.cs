using CodeChatter.Core.Execution;
using Microsoft.Extensions.Configuration;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core;

/// <summary>Registers Core's services: the options, the language catalog, the executor and the session runner.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds the executor, bound to the <c>Execution</c> section and validated at start-up.</summary>
    public static IServiceCollection AddCodeChatterCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecutionOptions>()
            .Bind(configuration.GetSection(ExecutionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Chat.QuotaOptions>()
            .Bind(configuration.GetSection(Chat.QuotaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Chat.Attachments.AttachmentOptions>()
            .Bind(configuration.GetSection(Chat.Attachments.AttachmentOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Operations.RetentionOptions>()
            .Bind(configuration.GetSection(Operations.RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddClock();
        services.AddScoped<Operations.RunRetention>();
        services.AddSingleton<LanguageCatalog>();
        // The packages each language offers, with their installed versions (doctor, GET /api/languages).
        services.AddSingleton<PackageInventory>();
        services.AddSingleton(provider => SandboxEnvironment.Detect(provider.GetRequiredService<IOptions<ExecutionOptions>>().Value.BubblewrapPath));
        services.AddSingleton<SandboxedExecutor>();
        services.AddSingleton<ICodeExecutor>(provider => provider.GetRequiredService<SandboxedExecutor>());
        // Sessions share the executor's launcher thread, uid slots, run folder and seccomp filter.
        // By its class too: a cluster's runner runs sessions here while its web side routes them to runners.
        services.AddSingleton<Execution.Sessions.SessionRunner>();
        services.AddSingleton<Execution.Sessions.ISessionRunner>(provider => provider.GetRequiredService<Execution.Sessions.SessionRunner>());
        services.AddSingleton<SandboxDoctor>();
        services.AddSingleton<Scheduling.FairRunQueue>();
        // Admission enters the gate through its interface, so a cluster can swap in a count shared by every instance.
        services.AddSingleton<Scheduling.IRunGate>(provider => provider.GetRequiredService<Scheduling.FairRunQueue>());
        services.AddSingleton<Scheduling.IRunLoad>(provider => provider.GetRequiredService<Scheduling.FairRunQueue>());
        services.TryAddSingleton<Observability.CodeChatterMetrics>();
        return services;
    }

    /// <summary>
    /// The one clock every Core service reads the time from (tests replace it); added by each of Core's
    /// registrations, since the chat services may be registered without the executor's.
    /// </summary>
    internal static IServiceCollection AddClock(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
