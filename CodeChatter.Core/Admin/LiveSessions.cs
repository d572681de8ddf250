using CodeChatter.Core.Audit;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Admin;

/// <summary>
/// The admin's view of every live session on this server, and ending one (audited). Sessions live in this
/// process's memory; their people and conversations are looked up in the database for the list.
/// </summary>
public sealed class LiveSessionAdministration(
    ISessionRunner sessions, IConversationQueries conversations, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Every live session with whose it is and its conversation's title, the longest idle first.</summary>
    public async Task<IReadOnlyList<LiveSessionRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var live = sessions.List();
        if (live.Count == 0) return [];
        var labels = await conversations.FindLabelsAsync(live.Select(s => s.ConversationId).Distinct().ToList(), cancellationToken);
        var now = clock.GetUtcNow();
        return live
            .Select(s => Row(s, labels.GetValueOrDefault(s.ConversationId), now))
            .OrderByDescending(r => r.Idle)
            .ThenBy(r => r.StartedAt)
            .ToList();
    }

    /// <summary>Ends one live session (<see cref="SessionEndReason.Admin"/>) and records who did.</summary>
    /// <returns>Done, or refused when it is no longer live.</returns>
    public async Task<AdminActionResult> EndAsync(string actorId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        var session = sessions.List().FirstOrDefault(s => s.Id == sessionId);
        if (session is null) return AdminActionResult.Refused("That session has already ended.");
        var label = (await conversations.FindLabelsAsync([session.ConversationId], cancellationToken)).GetValueOrDefault(session.ConversationId);
        if (!await sessions.EndAsync(sessionId, SessionEndReason.Admin)) return AdminActionResult.Refused("That session has already ended.");
        var owner = label?.OwnerEmail ?? session.UserId;
        var what = $"{owner}: {session.LanguageId} session {session.Generation} of conversation {session.ConversationId}"
            + (label is null ? "" : $" ({label.Title})");
        await audit.RecordAsync(new AuditRecord(AuditActions.SessionEnded, actorId, session.UserId, what), cancellationToken);
        return AdminActionResult.Done($"Ended {what}.");
    }

    private static LiveSessionRow Row(LiveSessionInfo s, ConversationLabel? label, DateTimeOffset now) => new(
        s.Id, s.UserId, label?.OwnerEmail ?? s.UserId, s.ConversationId, label?.Title, s.LanguageId, s.Generation, s.MessagesRun,
        s.MemoryBytes, s.StartedAt, Positive(now - s.StartedAt), s.IsBusy ? TimeSpan.Zero : Positive(now - s.LastActiveAt), s.IsBusy);

    private static TimeSpan Positive(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}

/// <summary>A live session in the admin's list.</summary>
/// <param name="Id">The session (to end it).</param>
/// <param name="UserId">Whose it is.</param>
/// <param name="Email">Their e-mail address (their id when unknown).</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="ConversationTitle">The conversation's title; null when it no longer exists.</param>
/// <param name="LanguageId">Its language.</param>
/// <param name="Generation">The conversation's session generation it is.</param>
/// <param name="MessagesRun">How many messages it has run.</param>
/// <param name="MemoryBytes">Memory it uses now, where the machine can account for it.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Age">How long it has lived.</param>
/// <param name="Idle">How long it has waited for a message; zero while one runs.</param>
/// <param name="IsBusy">Whether a message is running in it now.</param>
public sealed record LiveSessionRow(
    Guid Id, string UserId, string Email, long ConversationId, string? ConversationTitle, string LanguageId, int Generation,
    int MessagesRun, long? MemoryBytes, DateTimeOffset StartedAt, TimeSpan Age, TimeSpan Idle, bool IsBusy);
