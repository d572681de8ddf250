using CodeChatter.Core.Admin;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Admin;

/// <summary>The audit log from <see cref="ChatDbContext.AuditEvents"/>, with the people it names looked up once per page.</summary>
public sealed class EfAuditQueries(ChatDbContext db) : IAuditQueries
{
    private const string System = "system";

    /// <inheritdoc />
    public Task<int> CountAsync(string? action, CancellationToken cancellationToken = default) =>
        WithAction(action).CountAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditRow>> ListAsync(string? action, int skip, int take, CancellationToken cancellationToken = default)
    {
        var events = await WithAction(action).OrderByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var ids = events.SelectMany(a => new[] { a.ActorId, a.Target }).OfType<string>().Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);
        string Name(string userId) => emails.GetValueOrDefault(userId, userId);
        return events
            .Select(a => new AuditRow(a.Id, a.At, a.ActorId, a.ActorId is null ? System : Name(a.ActorId), a.Action, a.Target,
                a.Target is null ? null : Name(a.Target), a.Detail))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken = default) =>
        await db.AuditEvents.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);

    private IQueryable<AuditEvent> WithAction(string? action)
    {
        var events = db.AuditEvents.AsNoTracking();
        return string.IsNullOrWhiteSpace(action) ? events : events.Where(a => a.Action == action);
    }
}
