using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Operations;

/// <summary>
/// When <see cref="RetentionOptions.KeepRunsDays"/> is set, removes older runs a minute after the server
/// starts and then once a day (audited like an admin's removal, with no actor). Does nothing when it is not set.
/// </summary>
public sealed class RetentionSweep(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.KeepRunsDays is not { } days) return;
        try
        {
            // Not at once: start-up (migrations, the sandbox pool) comes first.
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            using var daily = new PeriodicTimer(TimeSpan.FromDays(1), time);
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var report = await scope.ServiceProvider.GetRequiredService<RunRetention>().RemoveOlderThanAsync(days, null, stoppingToken);
                    logger.LogInformation("Retention: removed {Runs} run(s) and {Conversations} conversation(s) older than {Days} day(s)",
                        report.RunsRemoved, report.ConversationsRemoved, days);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Removing runs older than {Days} day(s) failed; trying again tomorrow", days);
                }
            }
            while (await daily.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
