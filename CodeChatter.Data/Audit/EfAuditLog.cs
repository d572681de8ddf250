using CodeChatter.Core.Audit;
using CodeChatter.Data.Entities;

namespace CodeChatter.Data.Audit;

/// <summary>
/// The audit log in <see cref="ChatDbContext.AuditEvents"/>. It saves the request's own context, so whatever
/// the caller changed on it (a token row, a revocation) is stored in the same transaction as its event.
/// </summary>
public sealed class EfAuditLog(ChatDbContext db, TimeProvider time) : IAuditLog
{
    /// <inheritdoc />
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime, ActorId = record.ActorId, Action = record.Action, Target = record.Target, Detail = record.Detail,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
