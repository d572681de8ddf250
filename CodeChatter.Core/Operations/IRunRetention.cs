namespace CodeChatter.Core.Operations;

/// <summary>Removes old runs from the database (the storage side of <see cref="RunRetention"/>).</summary>
public interface IRunRetention
{
    /// <summary>
    /// Removes every finished run that started before <paramref name="cutoff"/>, with its output, and every
    /// conversation whose last message or run is older than that, with its snippets. Snippets of newer
    /// conversations are kept, even when all their runs go.
    /// </summary>
    Task<RetentionReport> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>What a removal took away.</summary>
/// <param name="Cutoff">Runs that started before this went.</param>
/// <param name="RunsRemoved">Runs removed, those of removed conversations included.</param>
/// <param name="ConversationsRemoved">Whole conversations removed.</param>
/// <param name="BytesBefore">The database's size before.</param>
/// <param name="BytesAfter">Its size after (compacted).</param>
public sealed record RetentionReport(DateTimeOffset Cutoff, long RunsRemoved, long ConversationsRemoved, long BytesBefore, long BytesAfter);
