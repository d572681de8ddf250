namespace CodeChatter.Core.Operations;

/// <summary>
/// Copies the live database to a file and proves the copy sound, while the server goes on writing: the
/// operator's backup. Restoring is putting the file back in place of the database while the server is stopped.
/// </summary>
public interface IDatabaseBackup
{
    /// <summary>
    /// Writes a consistent copy of the database, as it stood at one instant, to <paramref name="destination"/>
    /// (which must not exist yet), then opens the copy and checks it.
    /// </summary>
    /// <exception cref="IOException"><paramref name="destination"/> already exists.</exception>
    Task<BackupReport> BackupAsync(string destination, CancellationToken cancellationToken = default);

    /// <summary>How much disk the database uses now.</summary>
    Task<DatabaseSize> GetSizeAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a backup wrote and what its check found.</summary>
/// <param name="Path">The copy's full path.</param>
/// <param name="Bytes">The copy's size.</param>
/// <param name="Elapsed">How long copying and checking took.</param>
/// <param name="IntegrityCheck">What SQLite's <c>integrity_check</c> said of the copy: <c>ok</c> when sound.</param>
/// <param name="Runs">Runs (executions) in the copy.</param>
/// <param name="Conversations">Conversations in the copy.</param>
/// <param name="People">Accounts in the copy.</param>
public sealed record BackupReport(string Path, long Bytes, TimeSpan Elapsed, string IntegrityCheck, long Runs, long Conversations, long People)
{
    /// <summary>Whether the copy passed its check.</summary>
    public bool IsSound => IntegrityCheck == "ok";
}

/// <summary>The database's use of disk.</summary>
/// <param name="DatabaseBytes">The main file: pages in use and free pages.</param>
/// <param name="WriteAheadLogBytes">The write-ahead log beside it, not yet checkpointed into the main file.</param>
/// <param name="FreeBytes">Free pages inside the main file (reused by later writes; a VACUUM gives them back).</param>
public sealed record DatabaseSize(long DatabaseBytes, long WriteAheadLogBytes, long FreeBytes)
{
    /// <summary>Everything on disk.</summary>
    public long TotalBytes => DatabaseBytes + WriteAheadLogBytes;
}
