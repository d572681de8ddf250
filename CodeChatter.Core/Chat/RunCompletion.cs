using System.Diagnostics;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Observability;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Stores how a run ended: its displayed items kept within its person's storage quota, then its row. One
/// path for every place a run executes (this process, or a cluster's runner), so a result is stored the same
/// way wherever it ran.
/// </summary>
public sealed class RunCompletion(
    IRunStore store, StorageQuotaGate storageQuota, UnstoredRunResults unstored, ILogger<RunCompletion> logger,
    CodeChatterMetrics? metrics = null)
{
    /// <summary>
    /// Stores <paramref name="result"/> as run <paramref name="executionId"/>'s end and returns what was stored.
    /// A result the database refuses is answered as <c>internal_error</c> saying that the run did execute, and
    /// stored as that by <see cref="UnstoredRunResults"/> as soon as the database takes writes again.
    /// </summary>
    /// <remarks>Never cancelled: the result is stored even if whoever asked for the run has gone.</remarks>
    public async Task<ExecutionResult> StoreAsync(string userId, long executionId, ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            var applying = Stopwatch.GetTimestamp();
            result = await storageQuota.ApplyAsync(userId, result, CancellationToken.None);
            var storing = Stopwatch.GetTimestamp();
            metrics?.PhaseTook(RunPhases.StorageQuota, applying);
            await store.CompleteAsync(executionId, result, CancellationToken.None);
            metrics?.PhaseTook(RunPhases.StoreResult, storing);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The snippet did run: answer so, and store that answer as soon as the database takes it.
            logger.LogError(exception, "The result of run {ExecutionId} could not be stored", executionId);
            return unstored.Add(executionId, result, exception);
        }
    }
}
