namespace CodeChatter.Cluster;

/// <summary>How long a runner's lease lasts and how often its heartbeat renews it.</summary>
public sealed record RunnerLeaseOptions
{
    /// <summary>
    /// How long a lease outlives its last renewal. A runner killed outright is found dead this long
    /// after its last heartbeat at most, plus however often the reaper looks.
    /// </summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// How often a live runner renews its lease: a third of <see cref="LeaseTime"/>, so two renewals
    /// in a row can be lost (a Redis restart, a long pause) before a live runner looks dead.
    /// </summary>
    public TimeSpan RenewalInterval { get; init; } = TimeSpan.FromSeconds(2);
}
