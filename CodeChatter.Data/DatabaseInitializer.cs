using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data;

/// <summary>Brings the database up to date at start-up and records runs a previous stop cut off.</summary>
public static class DatabaseInitializer
{
    /// <summary>
    /// Applies migrations (fine for the single-instance SQLite default; a multi-instance deployment
    /// would run them as a deployment step instead), switches SQLite to WAL so readers never wait for
    /// the writer, and closes runs left in flight by a crash or kill as internal_error/"interrupted".
    /// </summary>
    public static async Task InitializeAsync(ChatDbContext db, TimeProvider time, bool closeInterruptedRuns = true, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        if (closeInterruptedRuns) await CloseInterruptedRunsAsync(db, time, cancellationToken);
    }

    /// <summary>Closes every run still in flight as internal_error/"interrupted", finished now.</summary>
    public static Task<int> CloseInterruptedRunsAsync(ChatDbContext db, TimeProvider time, CancellationToken cancellationToken = default) =>
        EfInterruptedRuns.InterruptAsync(db.Executions, time, cancellationToken);
}
