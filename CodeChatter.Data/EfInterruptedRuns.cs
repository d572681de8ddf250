using CodeChatter.Core.Chat;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data;

/// <summary>Ends in-flight runs as interrupted with one conditional update each (see <see cref="IInterruptedRuns"/>).</summary>
public sealed class EfInterruptedRuns(ChatDbContext db, TimeProvider clock) : IInterruptedRuns
{
    /// <inheritdoc />
    public async Task<bool> InterruptIfInFlightAsync(long executionId, CancellationToken cancellationToken = default) =>
        await InterruptAsync(db.Executions.Where(e => e.Id == executionId), clock, cancellationToken) == 1;

    /// <inheritdoc />
    public Task<int> InterruptInFlightStartedBeforeAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken = default)
    {
        var before = startedBefore.UtcDateTime;
        return InterruptAsync(db.Executions.Where(e => e.StartedAt < before), clock, cancellationToken);
    }

    /// <summary>
    /// Ends the runs of <paramref name="runs"/> still in flight as internal_error/"interrupted", finished now;
    /// their output so far stays. The condition is part of the update, so a result stored at the same moment wins.
    /// </summary>
    internal static Task<int> InterruptAsync(IQueryable<Execution> runs, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        return runs.Where(e => e.FinishedAt == null).ExecuteUpdateAsync(update => update
            .SetProperty(e => e.FinishedAt, now)
            .SetProperty(e => e.Status, Core.Execution.RunStatus.InternalError)
            .SetProperty(e => e.Detail, RunService.InterruptedDetail), cancellationToken);
    }
}
