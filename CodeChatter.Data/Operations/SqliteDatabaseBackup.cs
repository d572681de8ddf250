using System.Diagnostics;
using CodeChatter.Core.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Operations;

/// <summary>
/// Backs the SQLite database up with <c>VACUUM INTO</c>: it reads the database inside one read transaction,
/// so the copy is the database as it stood at one instant, and in WAL mode writers go on meanwhile. The copy
/// is written beside its destination under a temporary name and renamed only once it has passed
/// <c>PRAGMA integrity_check</c>, so a file at the destination is always a whole, checked backup.
/// </summary>
public sealed class SqliteDatabaseBackup(ChatDbContext db) : IDatabaseBackup
{
    /// <inheritdoc />
    public async Task<BackupReport> BackupAsync(string destination, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(destination);
        if (File.Exists(target)) throw new IOException($"{target} already exists; a backup never overwrites a file.");
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.partial");
        File.Delete(partial);
        // An empty file is what VACUUM INTO accepts; making it first turns a folder we cannot write to into a
        // plain UnauthorizedAccessException naming it, instead of SQLite's "unable to open database".
        File.Create(partial).Dispose();
        Stopwatch stopwatch;
        try
        {
            await using (var source = new SqliteConnection(db.Database.GetConnectionString()))
            {
                await source.OpenAsync(cancellationToken);
                // From here: the copy and its check, not loading SQLite into the process.
                stopwatch = Stopwatch.StartNew();
                await using var vacuum = source.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $path";
                vacuum.Parameters.AddWithValue("$path", partial);
                // Copying a large database takes a while; the connection's default 30 s is for single statements.
                vacuum.CommandTimeout = 0;
                await vacuum.ExecuteNonQueryAsync(cancellationToken);
            }
            var (check, runs, conversations, people) = await CheckAsync(partial, cancellationToken);
            if (check == "ok") File.Move(partial, target);
            return new BackupReport(check == "ok" ? target : partial, new FileInfo(check == "ok" ? target : partial).Length,
                stopwatch.Elapsed, check, runs, conversations, people);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<DatabaseSize> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var pageSize = await ScalarAsync(connection, "PRAGMA page_size", cancellationToken);
            var pages = await ScalarAsync(connection, "PRAGMA page_count", cancellationToken);
            var free = await ScalarAsync(connection, "PRAGMA freelist_count", cancellationToken);
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var wal = File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0;
            return new DatabaseSize(pageSize * pages, wal, pageSize * free);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<(string Check, long Runs, long Conversations, long People)> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var copy = new SqliteConnection(connectionString);
        await copy.OpenAsync(cancellationToken);
        var lines = new List<string>();
        await using (var check = copy.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check";
            check.CommandTimeout = 0;
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) lines.Add(reader.GetString(0));
        }
        var result = string.Join("; ", lines);
        if (result != "ok") return (result, 0, 0, 0);
        return (result,
            await ScalarAsync(copy, "SELECT count(*) FROM Executions", cancellationToken),
            await ScalarAsync(copy, "SELECT count(*) FROM Conversations", cancellationToken),
            await ScalarAsync(copy, "SELECT count(*) FROM AspNetUsers", cancellationToken));
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
