namespace CodeChatter.Core.Scheduling;

/// <summary>
/// The gate every admitted run passes after the account checks: it bounds how many runs one person has
/// going at once and how many the service takes on in all. On one machine that is <see cref="FairRunQueue"/>;
/// in a cluster the count has to live where every web instance sees it, or each instance would grant
/// its own share of each limit.
/// </summary>
public interface IRunGate
{
    /// <summary>
    /// Lets one run of <paramref name="userId"/> through, waiting for room if the gate queues. Dispose the
    /// returned slot when the run ends; that gives its room back.
    /// </summary>
    /// <exception cref="RunRefusedException">The person already has their maximum of runs, or there is no room.</exception>
    Task<IDisposable> EnterAsync(string userId, CancellationToken cancellationToken = default);
}
