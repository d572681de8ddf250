using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Chat;

/// <summary>
/// What a person sees of and does to their conversation's sessions: the chat page's session panel, its
/// Restart button and the mode switch, and the same through the API. Every method finds only that person's
/// conversations.
/// </summary>
public sealed class SessionService(
    IConversationQueries conversations, IConversationStore store, ISessionRunner sessions, TimeProvider clock)
{
    /// <summary>
    /// The conversation's mode and live sessions, and whether the state its replies built up is gone;
    /// null when the conversation is not that person's.
    /// </summary>
    public async Task<SessionPanel?> GetPanelAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        var state = await conversations.FindSessionStateAsync(userId, conversationId, cancellationToken);
        if (state is null) return null;
        var now = clock.GetUtcNow();
        var live = sessions.ListFor(userId, conversationId)
            .OrderBy(s => s.LanguageId, StringComparer.Ordinal)
            .Select(s => new LiveSessionView(
                s.Id, s.LanguageId, s.Generation, s.MessagesRun, s.MemoryBytes, s.StartedAt, s.LastActiveAt,
                s.IsBusy ? TimeSpan.Zero : Max(now - s.LastActiveAt, TimeSpan.Zero), s.IsBusy))
            .ToList();
        var stateLost = state.LatestReplyGeneration is { } latest && live.All(s => s.Generation != latest);
        return new SessionPanel(conversationId, state.Mode, live, stateLost, state.LatestReplyGeneration);
    }

    /// <summary>
    /// Ends the conversation's live sessions (<see cref="SessionEndReason.Restart"/>): its next message starts
    /// a new session from nothing.
    /// </summary>
    /// <returns>How many sessions were ended, or null when the conversation is not that person's.</returns>
    public async Task<int?> RestartAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        if (await conversations.FindSessionStateAsync(userId, conversationId, cancellationToken) is null) return null;
        return await sessions.EndConversationAsync(userId, conversationId, SessionEndReason.Restart);
    }

    /// <summary>
    /// Sets how the conversation runs its snippets from its next message on. A change of mode ends its live
    /// sessions (<see cref="SessionEndReason.Restart"/>): a fresh conversation keeps none, and a session
    /// conversation starts its first from nothing.
    /// </summary>
    /// <returns>False when the conversation is not that person's.</returns>
    public async Task<bool> SetModeAsync(string userId, long conversationId, ConversationMode mode, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        var previous = await store.SetModeAsync(userId, conversationId, mode, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (previous is null) return false;
        if (previous != mode) await sessions.EndConversationAsync(userId, conversationId, SessionEndReason.Restart);
        return true;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>The chat page's session panel: how the conversation runs and what is live.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Mode">How its snippets run.</param>
/// <param name="Sessions">Its live sessions, one per language at most, by language.</param>
/// <param name="StateLost">
/// Whether the conversation has replies that ran in a session but none of its live sessions is the
/// generation of the newest of them: the state they built up is gone (a server restart, an idle end, a
/// restart, or the session died), and the next message starts from nothing.
/// </param>
/// <param name="LatestReplyGeneration">The generation of its newest reply that ran in a session; null when none did.</param>
public sealed record SessionPanel(
    long ConversationId, ConversationMode Mode, IReadOnlyList<LiveSessionView> Sessions, bool StateLost, int? LatestReplyGeneration);

/// <summary>One live session of a conversation, as its person sees it.</summary>
/// <param name="Id">The session.</param>
/// <param name="LanguageId">Its language.</param>
/// <param name="Generation">The conversation's session generation it is.</param>
/// <param name="MessagesRun">How many messages it has run.</param>
/// <param name="MemoryBytes">Memory it uses now, where the machine can account for it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="LastActiveAt">When its last message ended (or it started).</param>
/// <param name="Idle">How long it has waited for a message; zero while one runs.</param>
/// <param name="IsBusy">Whether a message is running in it now.</param>
public sealed record LiveSessionView(
    Guid Id, string LanguageId, int Generation, int MessagesRun, long? MemoryBytes, DateTimeOffset StartedAt,
    DateTimeOffset LastActiveAt, TimeSpan Idle, bool IsBusy);
