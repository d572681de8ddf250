using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeChatter.Core.Chat;

/// <summary>Registers the chat services. An <see cref="IRunStore"/> comes from the data layer.</summary>
public static class ChatServiceCollectionExtensions
{
    /// <summary>Adds <see cref="RunService"/>, <see cref="ConversationService"/>, the registry of <see cref="LiveRuns"/> and, unless one is registered, an admission that admits every run.</summary>
    public static IServiceCollection AddCodeChatterChat(this IServiceCollection services)
    {
        services.AddClock();
        services.TryAddSingleton<IRunAdmission, AdmitEveryRun>();
        services.TryAddSingleton(provider => new LiveRuns(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<UnstoredRunResults>();
        services.AddScoped<RunService>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ConversationService>();
        return services;
    }
}
