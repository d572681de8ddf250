using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>How a surface that has just seen a run end shows it.</summary>
public static class StoredRuns
{
    /// <summary>
    /// The run as stored, so whoever saw it end (the API's answer, the live stream's <c>end</c> event) shows
    /// the same object as every later read; the result as answered only when the database refused it (its
    /// row reads in flight until <see cref="UnstoredRunResults"/> stores it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The run is not that person's, or no longer exists.</exception>
    public static async Task<RunView> StoredOrAnsweredAsync(
        this IRunQueries runs, string userId, long executionId, ExecutionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(result);
        var row = await runs.FindAsync(userId, executionId, cancellationToken)
            ?? throw new InvalidOperationException($"run {executionId} is not stored for that person");
        return row.IsRunning ? RunView.FromResult(row.Id, row.ConversationId, row.SnippetId, row.Language, row.Trigger, result) : row;
    }
}
