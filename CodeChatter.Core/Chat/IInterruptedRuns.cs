namespace CodeChatter.Core.Chat;

/// <summary>
/// Ends runs whose executor is gone (a cluster's runner died, Redis forgot a queued run) as
/// <c>internal_error</c>/<see cref="RunService.InterruptedDetail"/>, keeping the output they had printed.
/// Only rows still in flight change: a run whose result was stored meanwhile keeps it.
/// </summary>
public interface IInterruptedRuns
{
    /// <summary>Ends run <paramref name="executionId"/> as interrupted if it is still in flight; true when it was.</summary>
    Task<bool> InterruptIfInFlightAsync(long executionId, CancellationToken cancellationToken = default);

    /// <summary>Ends every run still in flight that started before <paramref name="startedBefore"/>; returns how many.</summary>
    Task<int> InterruptInFlightStartedBeforeAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken = default);
}
