namespace CodeChatter.Core.Audit;

/// <summary>One thing an admin should be able to look back on.</summary>
/// <param name="Action">What happened, one of <see cref="AuditActions"/>.</param>
/// <param name="ActorId">Who did it; null for the system or someone not signed in.</param>
/// <param name="Target">The person it concerns, when there is one.</param>
/// <param name="Detail">Words for the admin: an e-mail, a token's name, a reason.</param>
public sealed record AuditRecord(string Action, string? ActorId, string? Target, string? Detail);

/// <summary>
/// The one writer of the audit log. Every admin action, lockout, refused run and token change is recorded
/// through it, so the log's shape and clock are decided in one place.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Stores <paramref name="record"/>, stamped with the current time. Changes the caller has made in the
    /// same unit of work are stored with it, so an action and its audit event land together.
    /// </summary>
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);
}
