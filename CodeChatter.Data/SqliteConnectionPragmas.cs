using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CodeChatter.Data;

/// <summary>
/// Sets <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection (the setting is per connection, not
/// stored in the file). In WAL mode this is SQLite's recommended setting: commits no longer wait for an
/// fsync of the WAL, which was most of a run's database time here, and the database cannot be corrupted;
/// only a power cut (not a process crash) may lose the last transactions.
/// </summary>
internal sealed class SqliteSynchronousInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
