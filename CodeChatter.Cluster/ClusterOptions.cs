namespace CodeChatter.Cluster;

/// <summary>
/// <c>Cluster:</c> settings. Without <see cref="Redis"/> there is no cluster: one process is web and runner over
/// in-memory calls, exactly as fast as ever.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>The Redis server's StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary><c>web</c> (pages and API, runs go to Redis), <c>runner</c> (takes runs from Redis) or <c>both</c>.</summary>
    public string Role { get; set; } = ClusterRoles.Both;

    /// <summary>This runner's name in Redis; unique per runner process. Defaults to the host name and process id.</summary>
    public string? RunnerId { get; set; }

    /// <summary>How long a web instance waits for a queued run's end before it stores the run as interrupted.</summary>
    public int MaxRunWaitSeconds { get; set; } = 600;

    /// <summary>
    /// Runs admitted across the whole cluster and not yet ended (waiting in the run stream or executing on a
    /// runner); one more is refused as a full queue. Unset, it is <c>Execution:QueueCapacity</c> plus
    /// <c>Execution:MaxConcurrentRuns</c>: the room one instance on its own has. In a cluster, set it to about
    /// the runners' slots together plus the waiting you accept, the same on every web instance.
    /// </summary>
    public int? MaxRunsInFlight { get; set; }

    /// <summary><see cref="MaxRunsInFlight"/>, or its default from the <c>Execution</c> limits.</summary>
    public int ResolvedMaxRunsInFlight(Core.Execution.ExecutionOptions execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return MaxRunsInFlight ?? execution.QueueCapacity + execution.MaxConcurrentRuns;
    }

    /// <summary>Whether this process serves pages and the API, and sends its runs to the queue.</summary>
    public bool Serves => Role is ClusterRoles.Web or ClusterRoles.Both;

    /// <summary>Whether this process takes runs from the queue.</summary>
    public bool Runs => Role is ClusterRoles.Runner or ClusterRoles.Both;

    /// <summary><see cref="RunnerId"/>, or the default.</summary>
    public string ResolvedRunnerId => RunnerId ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>The roles one binary can take in a cluster.</summary>
public static class ClusterRoles
{
    /// <summary>Pages and the API.</summary>
    public const string Web = "web";

    /// <summary>Sandboxes.</summary>
    public const string Runner = "runner";

    /// <summary>Both: the default, and what one process without a cluster is.</summary>
    public const string Both = "both";
}
