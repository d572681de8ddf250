using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Sharing;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Sharing;

/// <summary>
/// Share links in <see cref="ChatDbContext.ShareLinks"/>. A person's are reached through their owner id; a
/// presented token through the unique index on its hash, then confirmed in fixed time.
/// </summary>
public sealed class EfShareLinkStore(ChatDbContext db) : IShareLinkStore
{
    /// <inheritdoc />
    public async Task<ShareLinkView?> AddAsync(NewShareLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!await db.Conversations.OwnedBy(link.OwnerId).AnyAsync(c => c.Id == link.ConversationId, cancellationToken)) return null;
        var row = new ShareLink
        {
            ConversationId = link.ConversationId, OwnerId = link.OwnerId, Token = link.Token, TokenHash = link.TokenHash,
            CreatedAt = link.CreatedAt, ExpiresAt = link.ExpiresAt,
        };
        db.ShareLinks.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return await FindAsync(row.Id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ShareLinkView?> FindByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = ShareTokens.Hash(token);
        var found = await Views(db.ShareLinks.Where(l => l.TokenHash == hash)).SingleOrDefaultAsync(cancellationToken);
        return found is not null && ShareTokens.Matches(token, found.Token) ? found : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ShareLinkView>> ListOwnedAsync(string ownerId, long? conversationId, CancellationToken cancellationToken = default)
    {
        var mine = db.ShareLinks.OwnedBy(ownerId);
        if (conversationId is { } id) mine = mine.Where(l => l.ConversationId == id);
        return await Views(mine.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)).ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ShareLinkView>> ListEveryonesAsync(int limit, CancellationToken cancellationToken = default) =>
        await Views(db.ShareLinks.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(limit)).ToListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ShareLinkView?> FindAsync(long linkId, CancellationToken cancellationToken = default) =>
        Views(db.ShareLinks.Where(l => l.Id == linkId)).SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<ShareLinkView?> RevokeAsync(string? ownerId, long linkId, DateTime at, CancellationToken cancellationToken = default)
    {
        var links = ownerId is null ? db.ShareLinks : db.ShareLinks.OwnedBy(ownerId);
        // Only the first revocation counts: its time stays what it was.
        await links.Where(l => l.Id == linkId && l.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.RevokedAt, at), cancellationToken);
        return await Views(links.Where(l => l.Id == linkId)).SingleOrDefaultAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordViewAsync(long linkId, DateTime at, CancellationToken cancellationToken = default) =>
        // One statement, so two viewers at once both count.
        db.ShareLinks.Where(l => l.Id == linkId)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.ViewCount, l => l.ViewCount + 1).SetProperty(l => l.LastViewedAt, at), cancellationToken);

    /// <inheritdoc />
    public Task<OutputContent?> FindOutputAsync(long conversationId, long outputId, CancellationToken cancellationToken = default) =>
        db.ExecutionOutputs.AsNoTracking()
            .Where(o => o.Id == outputId && o.Execution!.Snippet!.ConversationId == conversationId)
            .Select(o => new OutputContent(o.Id, o.Execution!.Snippet!.ConversationId, o.ExecutionId, o.MediaType, o.Content) { FileName = o.FileName })
            .SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<long?> CopyConversationAsync(long sourceConversationId, string newOwnerId, string title, DateTime at, CancellationToken cancellationToken = default)
    {
        var source = await db.Conversations.AsNoTracking().Where(c => c.Id == sourceConversationId)
            .Select(c => new { c.DefaultLanguage, c.Mode })
            .SingleOrDefaultAsync(cancellationToken);
        if (source is null) return null;
        var snippets = await db.Snippets.AsNoTracking().Where(s => s.ConversationId == sourceConversationId)
            .OrderBy(s => s.Sequence)
            .Select(s => new { s.Kind, s.Language, s.Code, s.Stdin })
            .ToListAsync(cancellationToken);
        // A fresh conversation: its own session generations, and not one run (nothing of the source's replies comes along).
        var copy = new Conversation
        {
            OwnerId = newOwnerId, Title = title, DefaultLanguage = source.DefaultLanguage, Mode = source.Mode, CreatedAt = at, UpdatedAt = at,
            Snippets = snippets.Select((s, index) => new Snippet
            {
                Sequence = index + 1, Kind = s.Kind, Language = s.Language, Code = s.Code, Stdin = s.Stdin, CreatedAt = at,
            }).ToList(),
        };
        db.Conversations.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return copy.Id;
    }

    private static IQueryable<ShareLinkView> Views(IQueryable<ShareLink> links) =>
        links.AsNoTracking().Select(l => new ShareLinkView(
            l.Id, l.ConversationId, l.Conversation!.Title, l.OwnerId, l.Conversation.Owner!.Email ?? l.OwnerId, l.Token,
            l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.ViewCount, l.LastViewedAt));
}
