namespace CodeChatter.Cluster;

/// <summary>How long a count of held slots survives without being touched.</summary>
public sealed record RunLimitOptions
{
    /// <summary>
    /// A count expires this long after its last acquire, so slots held by a web instance that died
    /// without releasing them come back on their own. Far longer than any run or session message may
    /// last: a count that expires while its slots are still held admits too many for a while.
    /// </summary>
    public TimeSpan SlotExpiry { get; init; } = TimeSpan.FromMinutes(30);
}
