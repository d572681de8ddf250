namespace CodeChatter.Cluster;

/// <summary>How long a held slot lasts if nobody gives it back.</summary>
public sealed record RunLimitOptions
{
    /// <summary>
    /// A slot's lease: a slot held by a web instance that died without giving it back comes back on its own
    /// this long after it was taken. Longer than any run may be in flight (a web instance stops waiting for a
    /// run's end after <see cref="ClusterOptions.MaxRunWaitSeconds"/>, 600 s): a lease that ran out while its
    /// run still went on would admit one run too many for a while.
    /// </summary>
    public TimeSpan SlotExpiry { get; init; } = TimeSpan.FromMinutes(30);
}
