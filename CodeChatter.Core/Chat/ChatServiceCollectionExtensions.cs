using CodeChatter.Core.Execution.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeChatter.Core.Chat;

/// <summary>Registers the chat services. An <see cref="IRunStore"/>, an <see cref="Attachments.IAttachmentStore"/> and an <see cref="Attachments.IStorageUsage"/> come from the data layer.</summary>
public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RunService"/>, <see cref="ConversationService"/>, <see cref="SessionService"/>, the
    /// registry of <see cref="LiveRuns"/> and, unless one is registered, an admission that admits every run
    /// and a session runner that keeps no sessions (<see cref="NoSessionRunner"/>: everything runs fresh).
    /// </summary>
    public static IServiceCollection AddCodeChatterChat(this IServiceCollection services)
    {
        services.AddClock();
        services.TryAddSingleton<IRunAdmission, AdmitEveryRun>();
        services.TryAddSingleton(provider => new LiveRuns(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<UnstoredRunResults>();
        services.AddScoped<RunService>();
        services.AddScoped<RunCompletion>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ConversationService>();
        services.AddScoped<SessionService>();
        services.AddScoped<Search.SearchService>();
        services.AddScoped<Export.ConversationExporter>();
        services.AddScoped<Export.NotebookImporter>();
        // Their IAttachmentStore and IStorageUsage come from the data layer.
        services.AddOptions();
        services.AddScoped<Attachments.AttachmentService>();
        services.AddScoped<Attachments.StorageQuotaGate>();
        // Share links; their IShareLinkStore comes from the data layer.
        services.AddScoped<Sharing.ShareService>();
        services.AddOptions<Sharing.SharingOptions>().BindConfiguration(Sharing.SharingOptions.SectionName);
        // The real runner comes with the executor (AddCodeChatterCore); a later AddSingleton wins either way.
        services.TryAddSingleton<ISessionRunner, NoSessionRunner>();
        // A cluster registers its own (the runs another web instance relays).
        services.TryAddSingleton<IRunsElsewhere, NoRunsElsewhere>();
        return services;
    }
}
