using CodeChatter.Core.Accounts;
using CodeChatter.Core.Admin;
using CodeChatter.Data.Attachments;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Admin;

/// <summary>People and their usage, read straight from Identity's tables, the runs and the attachments.</summary>
public sealed class EfPeopleQueries(ChatDbContext db) : IPeopleQueries
{
    /// <inheritdoc />
    public Task<int> CountAsync(string? search, CancellationToken cancellationToken = default) =>
        Matching(search).CountAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PersonRow>> ListAsync(string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        var adminRoleId = await AdminRoleIdAsync(cancellationToken);
        return await Matching(search)
            .OrderBy(u => u.NormalizedEmail)
            .Skip(skip).Take(take)
            .Select(u => new PersonRow(
                u.Id, u.Email ?? u.UserName ?? u.Id,
                db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId),
                u.IsDisabled, u.LockoutEnd, u.DailyRunQuota,
                db.Executions.Count(e => e.Snippet!.Conversation!.OwnerId == u.Id),
                db.Executions.Where(e => e.Snippet!.Conversation!.OwnerId == u.Id).Sum(e => e.CpuTimeMs) ?? 0,
                db.Executions.Where(e => e.Snippet!.Conversation!.OwnerId == u.Id).OrderByDescending(e => e.Id).Select(e => (DateTime?)e.StartedAt).FirstOrDefault(),
                u.CreatedAt)
            {
                StoredOutputBytes = db.ExecutionOutputs.Where(o => o.Execution!.OwnerId == u.Id).Sum(o => (long?)o.Size) ?? 0,
                AttachmentBytes = db.ConversationAttachments.Where(a => a.Conversation!.OwnerId == u.Id).Sum(a => (long?)a.Size) ?? 0,
            })
            .ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PersonDetails?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var adminRoleId = await AdminRoleIdAsync(cancellationToken);
        var person = await db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new
            {
                u.Id, Email = u.Email ?? u.UserName ?? u.Id, u.IsDisabled, u.DailyRunQuota, u.CreatedAt,
                IsAdmin = db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (person is null) return null;
        var runs = await db.Executions.OwnedBy(id).CountAsync(cancellationToken);
        // The same sum the storage quota checks, so the admin sees the figure a refusal was based on.
        var stored = await new EfStorageUsage(db).UsedBytesAsync(id, cancellationToken);
        return new PersonDetails(person.Id, person.Email, person.IsAdmin, person.IsDisabled, person.DailyRunQuota, runs, person.CreatedAt)
        {
            StoredBytes = stored,
        };
    }

    private IQueryable<ChatUser> Matching(string? search)
    {
        var people = db.Users.AsNoTracking();
        if (string.IsNullOrWhiteSpace(search)) return people;
        var normalized = search.Trim().ToUpperInvariant();
        return people.Where(u => u.NormalizedEmail!.Contains(normalized));
    }

    private Task<string?> AdminRoleIdAsync(CancellationToken cancellationToken) =>
        db.Roles.Where(r => r.Name == AccountRoles.Admin).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);
}
