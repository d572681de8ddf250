using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Attachments;

/// <summary>
/// Keeps conversations' attachments in <see cref="ChatDbContext"/>. Every lookup that takes a person goes
/// through <see cref="OwnershipQueries"/> and names the conversation too, so an attachment id of someone
/// else's (or of another conversation of mine) finds nothing.
/// </summary>
public sealed class EfAttachmentStore(ChatDbContext db, TimeProvider clock) : IAttachmentStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AttachmentView>?> ListAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        if (!await IsOwnedAsync(userId, conversationId, cancellationToken)) return null;
        var rows = await db.ConversationAttachments
            .Where(a => a.ConversationId == conversationId)
            .OrderBy(a => a.Name)
            .Select(a => new { a.Id, a.ConversationId, a.Name, a.Size, a.CreatedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(a => new AttachmentView(a.Id, a.ConversationId, a.Name, a.Size, AsUtc(a.CreatedAt))).ToList();
    }

    /// <inheritdoc />
    public async Task<(AttachmentView Attachment, bool Replaced)?> PutAsync(
        string userId, long conversationId, string name, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        // On SQLite this is BEGIN IMMEDIATE: two uploads of one name at once cannot both find none and
        // then collide on the (conversation, name) unique index.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await IsOwnedAsync(userId, conversationId, cancellationToken)) return null;
        var attachment = await db.ConversationAttachments
            .SingleOrDefaultAsync(a => a.ConversationId == conversationId && a.Name == name, cancellationToken);
        var replaced = attachment is not null;
        if (attachment is null)
        {
            attachment = new ConversationAttachment { ConversationId = conversationId, Name = name };
            db.ConversationAttachments.Add(attachment);
        }
        attachment.Content = content;
        attachment.Sha256 = OutputFingerprint.HashOf(content);
        attachment.Size = content.LongLength;
        attachment.CreatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new AttachmentView(attachment.Id, conversationId, attachment.Name, attachment.Size, AsUtc(attachment.CreatedAt)), replaced);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        await Owned(userId, conversationId).Where(a => a.Id == attachmentId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <inheritdoc />
    public Task<AttachmentContent?> GetContentAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default) =>
        Owned(userId, conversationId)
            .Where(a => a.Id == attachmentId)
            .Select(a => new AttachmentContent(a.Id, a.ConversationId, a.Name, a.Content))
            .SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<InputFile>> LoadInputsAsync(long conversationId, CancellationToken cancellationToken = default) =>
        await db.ConversationAttachments
            .Where(a => a.ConversationId == conversationId)
            .OrderBy(a => a.Name)
            .Select(a => new InputFile(a.Name, a.Content, a.Sha256))
            .ToListAsync(cancellationToken);

    private Task<bool> IsOwnedAsync(string userId, long conversationId, CancellationToken cancellationToken) =>
        db.Conversations.OwnedBy(userId).AnyAsync(c => c.Id == conversationId, cancellationToken);

    private IQueryable<ConversationAttachment> Owned(string userId, long conversationId) =>
        db.ConversationAttachments.Where(a => a.ConversationId == conversationId && a.Conversation!.OwnerId == userId);

    // SQLite gives DateTime back without a kind; every time stored here is UTC.
    private static DateTimeOffset AsUtc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
