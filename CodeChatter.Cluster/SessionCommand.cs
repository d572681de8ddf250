using System.Text.Json;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Cluster;

/// <summary>
/// An order to end sessions on the runner that holds them, sent through that runner's own run stream: a runner
/// reads its stream in order and carries out an order before it takes the next entry, so a restart followed by a
/// message (re-running a whole session conversation) ends the old session before the message runs.
/// Exactly one of <see cref="SessionId"/>, <see cref="ConversationId"/> (with <see cref="UserId"/>) or
/// <see cref="UserId"/> alone says which sessions.
/// </summary>
/// <param name="Reason">Why they end.</param>
/// <param name="UserId">Whose sessions (with <see cref="ConversationId"/>: of that conversation only).</param>
/// <param name="ConversationId">Which conversation's sessions.</param>
/// <param name="SessionId">One session.</param>
public sealed record SessionCommand(SessionEndReason Reason, string? UserId = null, long? ConversationId = null, Guid? SessionId = null)
{
    /// <summary>The execution id of a ticket that carries an order rather than a run (no stored run has it).</summary>
    public const long TicketExecutionId = 0;

    /// <summary>The ticket carrying this order.</summary>
    public RunTicket ToTicket() => new(TicketExecutionId, UserId ?? "", JsonSerializer.Serialize(this, RunChannels.Json));

    /// <summary>The order a ticket carries, or null when it carries a run.</summary>
    public static SessionCommand? From(RunTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.ExecutionId == TicketExecutionId ? JsonSerializer.Deserialize<SessionCommand>(ticket.Payload, RunChannels.Json) : null;
    }

    /// <summary>Carries the order out on this runner's sessions; returns how many ended.</summary>
    public async Task<int> CarryOutAsync(ISessionRunner sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (SessionId is { } id) return await sessions.EndAsync(id, Reason) ? 1 : 0;
        if (UserId is null) return 0;
        return ConversationId is { } conversationId
            ? await sessions.EndConversationAsync(UserId, conversationId, Reason)
            : await sessions.EndPersonAsync(UserId, Reason);
    }
}
