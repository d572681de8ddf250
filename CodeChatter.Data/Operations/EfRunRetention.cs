using CodeChatter.Core.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Data.Operations;

/// <summary>
/// Removes old runs and stale conversations in one transaction, then compacts the file with <c>VACUUM</c> so
/// the space goes back to the disk (SQLite otherwise keeps freed pages for its own later use).
/// </summary>
public sealed class EfRunRetention(ChatDbContext db, IDatabaseBackup size, ILogger<EfRunRetention> logger) : IRunRetention
{
    /// <inheritdoc />
    public async Task<RetentionReport> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var before = (await size.GetSizeAsync(cancellationToken)).TotalBytes;
        var cutoffUtc = cutoff.UtcDateTime;
        long runsRemoved;
        int conversationsRemoved;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A conversation nobody wrote in or ran since the cutoff goes whole: its snippets too.
            var stale = db.Conversations.Where(c => c.UpdatedAt < cutoffUtc);
            var staleSnippets = db.Snippets.Where(s => stale.Any(c => c.Id == s.ConversationId));
            runsRemoved = await db.Executions.Where(e => staleSnippets.Any(s => s.Id == e.SnippetId)).ExecuteDeleteAsync(cancellationToken);
            await staleSnippets.ExecuteDeleteAsync(cancellationToken);
            conversationsRemoved = await stale.ExecuteDeleteAsync(cancellationToken);
            // Elsewhere only the runs go; the snippets stay, so a conversation still reads as it was written.
            runsRemoved += await db.Executions.Where(e => e.FinishedAt != null && e.StartedAt < cutoffUtc).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // SQLite gives freed pages back to the disk only by VACUUM; PostgreSQL's autovacuum looks after its own.
        if (runsRemoved + conversationsRemoved > 0 && db.Database.IsSqlite())
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;", CancellationToken.None);
            }
            catch (Microsoft.Data.Sqlite.SqliteException exception)
            {
                // Busy with a long reader: the space is reused by later writes anyway; the next removal compacts it.
                logger.LogWarning(exception, "The database could not be compacted after removing old runs");
            }
        }
        var after = (await size.GetSizeAsync(CancellationToken.None)).TotalBytes;
        return new RetentionReport(cutoff, runsRemoved, conversationsRemoved, before, after);
    }
}
