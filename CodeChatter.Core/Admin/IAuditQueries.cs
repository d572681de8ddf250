namespace CodeChatter.Core.Admin;

/// <summary>One audit event as the audit page shows it, with the people it names resolved to e-mails.</summary>
/// <param name="Id">The event's id (later events have larger ids).</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="ActorId">Who did it; null for the system.</param>
/// <param name="Actor">Who did it, in words: an e-mail, or <c>system</c>.</param>
/// <param name="Action">What happened, one of <see cref="Audit.AuditActions"/>.</param>
/// <param name="Target">The id of the person it concerns, if any.</param>
/// <param name="TargetName">That person's e-mail (their id if the account is gone), or null without a target.</param>
/// <param name="Detail">Words for the admin.</param>
public sealed record AuditRow(long Id, DateTime At, string? ActorId, string Actor, string Action, string? Target, string? TargetName, string? Detail);

/// <summary>The audit log, newest first, for the admin.</summary>
public interface IAuditQueries
{
    /// <summary>How many events have the action <paramref name="action"/> (all when it is blank).</summary>
    Task<int> CountAsync(string? action, CancellationToken cancellationToken = default);

    /// <summary>One page of the events <see cref="CountAsync"/> counts, newest first.</summary>
    Task<IReadOnlyList<AuditRow>> ListAsync(string? action, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>The actions that occur in the log, in order, for the filter.</summary>
    Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken = default);
}
