using CodeChatter.Core.Audit;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Operations;

/// <summary>
/// Applies a retention period: works out the cutoff from a number of days, removes what is older through
/// <see cref="IRunRetention"/> and writes what went to the audit log. Used by the admin's "Remove old runs"
/// and, when <see cref="RetentionOptions.KeepRunsDays"/> is set, by the daily sweep.
/// </summary>
public sealed class RunRetention(IRunRetention store, IAuditLog audit, IOptions<RetentionOptions> options, TimeProvider time)
{
    /// <summary>The instance's configured period in days; null when retention is off.</summary>
    public int? ConfiguredDays => options.Value.KeepRunsDays;

    /// <summary>Removes runs older than <paramref name="days"/> days and audits it.</summary>
    /// <param name="days">How many days of runs to keep (1 or more).</param>
    /// <param name="actorId">The admin who asked; null for the configured daily sweep.</param>
    /// <param name="cancellationToken">Cancels before the removal starts.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is less than 1.</exception>
    public async Task<RetentionReport> RemoveOlderThanAsync(int days, string? actorId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        var report = await store.RemoveOlderThanAsync(cutoff, cancellationToken);
        await audit.RecordAsync(new AuditRecord(
            AuditActions.RunsRemoved, actorId, null,
            $"runs older than {days} day(s) (before {cutoff:u}): {report.RunsRemoved} run(s), " +
            $"{report.ConversationsRemoved} whole conversation(s); database {report.BytesBefore} -> {report.BytesAfter} bytes" +
            (actorId is null ? "; Retention:KeepRunsDays" : "")), CancellationToken.None);
        return report;
    }
}
