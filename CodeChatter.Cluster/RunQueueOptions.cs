namespace CodeChatter.Cluster;

/// <summary>How the run queue sizes its streams and waits on them.</summary>
public sealed record RunQueueOptions
{
    /// <summary>
    /// Roughly how many entries a run stream keeps (<c>XADD MAXLEN ~</c>). Trimming drops the oldest
    /// entries whether or not anyone read them, so this sits far above any backlog the admission limits
    /// let build up; it only bounds memory if those limits fail.
    /// </summary>
    public long MaxStreamLength { get; init; } = 100_000;

    /// <summary>
    /// How often a waiting read asks again when no doorbell rang. StackExchange.Redis never sends a blocking
    /// <c>XREADGROUP BLOCK</c> (it would stall every other command on its one multiplexed connection); an
    /// enqueue rings a pub/sub doorbell that wakes reads at once, and this poll catches a ring that was lost.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many abandoned entries one reaper script takes before it lets other commands run.</summary>
    public int ReapBatchSize { get; init; } = 100;
}
