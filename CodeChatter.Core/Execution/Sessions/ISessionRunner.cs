namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// Runs a conversation's messages in its private, long-lived sandboxed interpreter (one per
/// conversation and language) and owns those sessions' lifetimes: started by the first message, ended
/// when idle too long, on restart, when the conversation is deleted or its person disabled, and when
/// the server stops. A session belongs to exactly one conversation of one person and is never handed
/// to another.
/// </summary>
public interface ISessionRunner
{
    /// <summary>Whether <paramref name="languageId"/> has a session driver (Python, JavaScript, Bash).</summary>
    bool Supports(string languageId);

    /// <summary>
    /// Runs one message in the session of <paramref name="key"/>, starting one when none is live. Messages
    /// of one session run one at a time, in the order they arrive. Wall time, CPU time (the cgroup's
    /// delta) and the output cap apply to this message; memory, processes and scratch space to the session.
    /// A message over its wall or CPU limit, or stopped through <paramref name="cancellationToken"/>, is
    /// interrupted (KeyboardInterrupt in Python, SIGINT elsewhere); a session that does not come back
    /// within a second is killed and the result says the state was lost.
    /// </summary>
    /// <param name="key">Whose session, for which conversation and language.</param>
    /// <param name="request">The message; its <see cref="ExecutionRequest.Input"/> (if any) feeds its stdin after <see cref="ExecutionRequest.Stdin"/>.</param>
    /// <param name="newGeneration">Called when this message starts a new session: returns the conversation's next generation number.</param>
    /// <param name="output">Live output, as for <see cref="ICodeExecutor.ExecuteAsync"/>.</param>
    /// <param name="cancellationToken">Interrupts the message (Stop).</param>
    /// <returns>The result with <see cref="ExecutionResult.Session"/> set; <c>rejected</c> (with a RetryAfter) when no session may be started now.</returns>
    Task<ExecutionResult> ExecuteAsync(
        SessionKey key, ExecutionRequest request, Func<CancellationToken, Task<int>> newGeneration,
        Action<OutputChunk>? output = null, CancellationToken cancellationToken = default);

    /// <summary>Every live session on this machine (the admin's list).</summary>
    IReadOnlyList<LiveSessionInfo> List();

    /// <summary>The live sessions of one conversation of that person (one per language at most).</summary>
    IReadOnlyList<LiveSessionInfo> ListFor(string userId, long conversationId);

    /// <summary>Ends one session by its id; false when it is not live.</summary>
    Task<bool> EndAsync(Guid sessionId, SessionEndReason reason);

    /// <summary>Ends the live sessions of that person's conversation; returns how many were ended.</summary>
    Task<int> EndConversationAsync(string userId, long conversationId, SessionEndReason reason);

    /// <summary>Ends every live session of that person; returns how many were ended.</summary>
    Task<int> EndPersonAsync(string userId, SessionEndReason reason);
}

/// <summary>Which session: one per person, conversation and language.</summary>
/// <param name="UserId">The owner.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="LanguageId">The language id, such as <c>python</c>.</param>
public sealed record SessionKey(string UserId, long ConversationId, string LanguageId);

/// <summary>A live session, as the chat page and the admin area show it.</summary>
/// <param name="Id">Its id (for ending it).</param>
/// <param name="UserId">Whose it is.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="LanguageId">Its language.</param>
/// <param name="Generation">The conversation's session generation it is.</param>
/// <param name="MessagesRun">Messages it has run (its last execution counter).</param>
/// <param name="MemoryBytes">Memory it uses now, where the machine can account for it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="LastActiveAt">When its last message ended (or it started).</param>
/// <param name="IsBusy">Whether a message is running in it now.</param>
public sealed record LiveSessionInfo(
    Guid Id, string UserId, long ConversationId, string LanguageId, int Generation, int MessagesRun,
    long? MemoryBytes, DateTimeOffset StartedAt, DateTimeOffset LastActiveAt, bool IsBusy);

/// <summary>Why a session ended.</summary>
public enum SessionEndReason
{
    /// <summary>No message for <c>Execution:SessionIdleMinutes</c>.</summary>
    Idle,
    /// <summary>Its person asked for a restart (page button or API), or a re-run of the whole conversation.</summary>
    Restart,
    /// <summary>Its conversation was deleted.</summary>
    ConversationDeleted,
    /// <summary>Its person was disabled.</summary>
    PersonDisabled,
    /// <summary>An admin ended it.</summary>
    Admin,
    /// <summary>Room was needed for a newer session of the same person.</summary>
    Evicted,
    /// <summary>The server is stopping.</summary>
    ServerStopping,
}

/// <summary>Where a message ran in its session, stored with the reply.</summary>
/// <param name="Generation">The conversation's session generation (1 for its first session, then 2 after a restart...).</param>
/// <param name="Counter">The execution counter within that session: the <c>[n]</c> of the reply, from 1.</param>
/// <param name="Event">Whatever happened to the session itself during this message.</param>
public sealed record SessionRunInfo(int Generation, int Counter, SessionEvent Event);

/// <summary>What a message did to its session.</summary>
public enum SessionEvent
{
    /// <summary>It ran in a session that was already live; state carried on.</summary>
    Continued,
    /// <summary>It started a new session (nothing was live).</summary>
    Started,
    /// <summary>It did not come back from an interrupt within a second: the session was killed and its state lost.</summary>
    KilledStateLost,
    /// <summary>It hit the session's memory limit: the session ended and its state was lost.</summary>
    EndedByMemory,
    /// <summary>The interpreter itself exited (<c>exit()</c>, <c>process.exit</c>, <c>exit</c>): the session ended.</summary>
    EndedByExit,
}
