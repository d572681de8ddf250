using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Cluster;

/// <summary>
/// A web instance's session runner in a cluster: each session lives on one runner, chosen by its first message,
/// and every later message of that session goes to that runner's own stream. When that runner has died, its
/// sessions died with it: the message goes to another runner, which starts a new session (a new generation),
/// and the conversation's panel says the state was lost, as after a restart. Listing and ending sessions go
/// through what runners publish (<see cref="SessionDirectory"/>) and orders sent down their streams.
/// </summary>
public sealed class ClusterSessionRunner(
    QueuedRunRelay relay, SessionDirectory directory, RedisRunQueue queue, SessionRunner local, ILogger<ClusterSessionRunner> logger) : ISessionRunner
{
    /// <inheritdoc />
    public bool Supports(string languageId) => local.Supports(languageId);

    /// <inheritdoc />
    /// <remarks><paramref name="newGeneration"/> is not called here: the runner that starts the session numbers it.</remarks>
    public async Task<ExecutionResult> ExecuteAsync(
        SessionKey key, ExecutionRequest request, Func<CancellationToken, Task<int>> newGeneration,
        Action<Core.Execution.OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        var executionId = request.ExecutionId ?? throw new ArgumentException("A session message is a stored run.", nameof(request));
        var ticket = new RunTicket(executionId, key.UserId, RemoteRun.Payload(request, key));
        // Twice at most: the holder found dead is forgotten, and the next choice is a live runner (or any, via the shared stream).
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var holder = await directory.OwnerAsync(key);
            if (holder is null && await directory.PickLiveRunnerAsync() is { } live) holder = await directory.ClaimAsync(key, live);
            if (await relay.RunAsync(ticket, holder, request.Input, output, cancellationToken) is { } result) return result;
            logger.LogWarning("Runner {Runner} holding a session of conversation {ConversationId} is gone: its state is lost", holder, key.ConversationId);
            await directory.ForgetAsync(key, holder!);
        }
        // No live runner to choose: the shared stream waits for the next one, which takes the session.
        return await relay.RunAsync(ticket, null, request.Input, output, cancellationToken)
            ?? throw new InvalidOperationException("the shared run stream refused a run");
    }

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> List() => directory.List().Select(found => found.Session).ToList();

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> ListFor(string userId, long conversationId) =>
        List().Where(s => s.UserId == userId && s.ConversationId == conversationId).ToList();

    /// <inheritdoc />
    public async Task<bool> EndAsync(Guid sessionId, SessionEndReason reason) =>
        await SendAsync(found => found.Id == sessionId, new SessionCommand(reason, SessionId: sessionId)) > 0;

    /// <inheritdoc />
    public Task<int> EndConversationAsync(string userId, long conversationId, SessionEndReason reason) =>
        SendAsync(s => s.UserId == userId && s.ConversationId == conversationId, new SessionCommand(reason, userId, conversationId));

    /// <inheritdoc />
    public Task<int> EndPersonAsync(string userId, SessionEndReason reason) =>
        SendAsync(s => s.UserId == userId, new SessionCommand(reason, userId));

    // The order goes to each runner holding a matching session; the count is what they had published.
    private async Task<int> SendAsync(Func<LiveSessionInfo, bool> matches, SessionCommand command)
    {
        var holding = directory.List().Where(found => matches(found.Session)).ToList();
        foreach (var runnerId in holding.Select(found => found.RunnerId).Distinct(StringComparer.Ordinal))
        {
            await queue.EnqueueAsync(command.ToTicket(), runnerId);
        }
        return holding.Count;
    }
}
