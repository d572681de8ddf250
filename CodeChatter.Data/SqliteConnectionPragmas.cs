using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CodeChatter.Data;

/// <summary>
/// Sets the per-connection SQLite settings (neither is stored in the file) on every connection it opens:
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: in WAL mode SQLite's recommended setting. Commits no longer wait for an fsync
/// of the WAL, which was most of a run's database time here, and the database cannot be corrupted; only a power cut
/// (not a process crash) may lose the last transactions.</item>
/// <item><c>busy_timeout</c>: a writer that finds another writer mid-commit waits in SQLite itself, which retries
/// after 1, 2, 5, 10... ms. Without it the SQLite driver sleeps 150 ms before each retry, so two runs finishing
/// together (or a runner process storing beside a web process on one file) cost a whole 150 ms.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
