using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Every Redis key and channel the cluster uses, in one place, so the queue, the leases and the
/// channels agree on names (the queue's enqueue script reads a runner's lease key, for one).
/// </summary>
internal static class ClusterKeys
{
    /// <summary>The consumer group every runner reads the run streams through.</summary>
    public const string RunnerGroup = "runners";

    /// <summary>A random value set once per Redis data set: a different one after a reconnection means Redis lost its data.</summary>
    public static readonly RedisKey Epoch = "cc:epoch";

    /// <summary>The stream any runner may take a run from.</summary>
    public static readonly RedisKey SharedRuns = "cc:runs";

    /// <summary>The set of runners that ever announced themselves and were not forgotten yet.</summary>
    public static readonly RedisKey Runners = "cc:runners";

    /// <summary>The stream of runs only <paramref name="runnerId"/> may take (its sessions live there).</summary>
    public static RedisKey OwnedRuns(string runnerId) => $"cc:runs:{runnerId}";

    /// <summary>The key whose expiry is <paramref name="runnerId"/>'s lease on life.</summary>
    public static RedisKey Lease(string runnerId) => $"cc:runners:{runnerId}";

    /// <summary>The slots one person holds across every instance.</summary>
    public static RedisKey OwnerSlots(string ownerId) => $"cc:limits:owner:{ownerId}";

    /// <summary>The places taken in the cluster-wide queue.</summary>
    public static readonly RedisKey QueuePlaces = "cc:limits:queue";

    /// <summary>A run's live output, in order, then its end.</summary>
    public static RedisChannel Output(long executionId) => RedisChannel.Literal($"cc:run:{executionId}:output");

    /// <summary>Rung after every enqueue, so waiting runners read at once instead of at their next poll.</summary>
    public static readonly RedisChannel RunsDoorbell = RedisChannel.Literal("cc:runs:doorbell");

    /// <summary>The mark a Stop leaves for a run no runner has taken yet.</summary>
    public static RedisKey Stopped(long executionId) => $"cc:run:{executionId}:stopped";

    /// <summary>Stop and typed input for a run, from whichever web instance the person is on.</summary>
    public static RedisChannel Control(long executionId) => RedisChannel.Literal($"cc:run:{executionId}:control");

    /// <summary>The live sessions <paramref name="runnerId"/> holds, as it last published them; expires with its lease.</summary>
    public static RedisKey RunnerSessions(string runnerId) => $"cc:sessions:runner:{runnerId}";

    /// <summary>Which runner holds each language's session of one conversation (a hash: language to runner id).</summary>
    public static RedisKey SessionOwners(string userId, long conversationId) => $"cc:sessions:owner:{userId}:{conversationId}";

    /// <summary>
    /// Runner ids become parts of key names: an empty id or one with a colon or whitespace would
    /// make one runner's keys look like another's.
    /// </summary>
    public static string CheckRunnerId(string runnerId, string parameterName)
    {
        if (string.IsNullOrEmpty(runnerId) || runnerId.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new ArgumentException("A runner id is a non-empty name without colons or whitespace.", parameterName);
        return runnerId;
    }
}
