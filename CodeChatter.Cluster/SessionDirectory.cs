using System.Text.Json;
using CodeChatter.Core.Execution.Sessions;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// Where a cluster's sessions are: each runner publishes the list of its live sessions (renewed with its lease,
/// so a dead runner's list disappears with it), and each conversation's languages are mapped to the runner that
/// holds their session, so every message of a session goes to that runner's own stream.
/// </summary>
public sealed class SessionDirectory(IConnectionMultiplexer redis, RunnerLeases leases)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>Publishes <paramref name="runnerId"/>'s live sessions, to expire with its lease.</summary>
    public Task PublishAsync(string runnerId, IReadOnlyList<LiveSessionInfo> sessions) =>
        Database.StringSetAsync(ClusterKeys.RunnerSessions(runnerId), JsonSerializer.Serialize(sessions, RunChannels.Json), leases.Options.LeaseTime);

    /// <summary>
    /// Every live session of the cluster with the runner holding it. Synchronous, as the session runner's listing is:
    /// two round trips (the registered runners, then their lists).
    /// </summary>
    public IReadOnlyList<(string RunnerId, LiveSessionInfo Session)> List()
    {
        var runners = Database.SetMembers(ClusterKeys.Runners).Select(id => id.ToString()).ToArray();
        if (runners.Length == 0) return [];
        var lists = Database.StringGet(runners.Select(id => ClusterKeys.RunnerSessions(id)).ToArray());
        var found = new List<(string, LiveSessionInfo)>();
        for (var i = 0; i < runners.Length; i++)
        {
            if (lists[i].IsNullOrEmpty) continue;
            foreach (var session in JsonSerializer.Deserialize<LiveSessionInfo[]>(lists[i].ToString(), RunChannels.Json) ?? []) found.Add((runners[i], session));
        }
        return found;
    }

    /// <summary>The runner holding <paramref name="key"/>'s session, or null when none was chosen yet.</summary>
    public async Task<string?> OwnerAsync(SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var owner = await Database.HashGetAsync(ClusterKeys.SessionOwners(key.UserId, key.ConversationId), key.LanguageId);
        return owner.IsNullOrEmpty ? null : owner.ToString();
    }

    /// <summary>
    /// Makes <paramref name="runnerId"/> the holder of <paramref name="key"/>'s session unless another was chosen
    /// first; returns the holder. Two messages sent at once to a new session thus go to the same runner.
    /// </summary>
    public async Task<string> ClaimAsync(SessionKey key, string runnerId)
    {
        ArgumentNullException.ThrowIfNull(key);
        var owners = ClusterKeys.SessionOwners(key.UserId, key.ConversationId);
        if (await Database.HashSetAsync(owners, key.LanguageId, runnerId, When.NotExists)) return runnerId;
        return await OwnerAsync(key) ?? runnerId;
    }

    /// <summary>Records <paramref name="runnerId"/> as the holder, whoever held it before (the runner that took the message).</summary>
    public Task TakeAsync(SessionKey key, string runnerId) =>
        Database.HashSetAsync(ClusterKeys.SessionOwners(key.UserId, key.ConversationId), key.LanguageId, runnerId);

    // Only if it still names the dead runner: another web instance may have chosen a new holder meanwhile.
    private const string ForgetScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
        return 0
        """;

    /// <summary>Forgets that <paramref name="deadRunnerId"/> holds <paramref name="key"/>'s session (it died; the state is lost).</summary>
    public Task ForgetAsync(SessionKey key, string deadRunnerId) =>
        Database.ScriptEvaluateAsync(ForgetScript, [ClusterKeys.SessionOwners(key.UserId, key.ConversationId)], [key.LanguageId, deadRunnerId]);

    /// <summary>A runner with a live lease, picked at random so sessions spread; null when none is alive.</summary>
    public async Task<string?> PickLiveRunnerAsync()
    {
        var runners = await Database.SetMembersAsync(ClusterKeys.Runners);
        foreach (var candidate in runners.Select(id => id.ToString()).OrderBy(_ => Random.Shared.Next()))
        {
            if (await leases.IsAliveAsync(candidate)) return candidate;
        }
        return null;
    }
}
