using CodeChatter.Core.Operations;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Operations;

/// <summary>
/// The database's size on PostgreSQL. Backups there are the server's own business (<c>pg_dump</c>, base backups
/// and WAL archiving), which an operator who runs PostgreSQL already has; CodeChatter does not copy a server it
/// does not own.
/// </summary>
public sealed class PostgresDatabaseBackup(ChatDbContext db) : IDatabaseBackup
{
    /// <summary>Why <c>backup</c> declines on PostgreSQL, and what to use instead.</summary>
    public const string UsePgDump =
        "On PostgreSQL, back the database up with the server's own tools: pg_dump --format=custom for a copy, or base backups with WAL archiving.";

    /// <inheritdoc />
    public Task<BackupReport> BackupAsync(string destination, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(UsePgDump);

    /// <inheritdoc />
    public async Task<DatabaseSize> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        // The whole database on disk, indexes and TOAST included; PostgreSQL keeps its WAL server-wide.
        var bytes = await db.Database.SqlQuery<long>($"""SELECT pg_database_size(current_database()) AS "Value" """)
            .SingleAsync(cancellationToken);
        return new DatabaseSize(bytes, 0, 0);
    }
}
