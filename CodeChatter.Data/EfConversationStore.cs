using CodeChatter.Core.Chat;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data;

/// <summary>Renames and deletes conversations in <see cref="ChatDbContext"/>, through <see cref="OwnershipQueries"/>.</summary>
public sealed class EfConversationStore(ChatDbContext db) : IConversationStore
{
    /// <inheritdoc />
    public async Task<bool> RenameAsync(string userId, long conversationId, string title, DateTime at, CancellationToken cancellationToken = default) =>
        await db.Conversations.OwnedBy(userId).Where(c => c.Id == conversationId).ExecuteUpdateAsync(update => update
            .SetProperty(c => c.Title, title)
            .SetProperty(c => c.UpdatedAt, at), cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        // Snippets and runs go with it: the foreign keys cascade.
        await db.Conversations.OwnedBy(userId).Where(c => c.Id == conversationId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <inheritdoc />
    public async Task<ConversationMode?> SetModeAsync(string userId, long conversationId, ConversationMode mode, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = db.Conversations.OwnedBy(userId).Where(c => c.Id == conversationId);
        var previous = await conversation.Select(c => (ConversationMode?)c.Mode).SingleOrDefaultAsync(cancellationToken);
        if (previous is null) return null;
        if (previous != mode)
        {
            await conversation.ExecuteUpdateAsync(update => update
                .SetProperty(c => c.Mode, mode)
                .SetProperty(c => c.UpdatedAt, at), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return previous;
    }

    /// <inheritdoc />
    public async Task<bool> EditNoteAsync(string userId, long snippetId, string text, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await Notes(userId, snippetId).ExecuteUpdateAsync(update => update.SetProperty(s => s.Code, text), cancellationToken) > 0;
        if (changed) await TouchConversationOfAsync(snippetId, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteNoteAsync(string userId, long snippetId, DateTime at, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversationId = await Notes(userId, snippetId).Select(s => (long?)s.ConversationId).SingleOrDefaultAsync(cancellationToken);
        var deleted = conversationId is not null && await Notes(userId, snippetId).ExecuteDeleteAsync(cancellationToken) > 0;
        if (deleted)
        {
            await db.Conversations.Where(c => c.Id == conversationId).ExecuteUpdateAsync(update => update.SetProperty(c => c.UpdatedAt, at), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    // Only notes: the text of a code snippet is what its stored runs ran, and stays so.
    private IQueryable<Entities.Snippet> Notes(string userId, long snippetId) =>
        db.Snippets.OwnedBy(userId).Where(s => s.Id == snippetId && s.Kind == SnippetKind.Note);

    private Task<int> TouchConversationOfAsync(long snippetId, DateTime at, CancellationToken cancellationToken) =>
        db.Conversations.Where(c => c.Snippets.Any(s => s.Id == snippetId))
            .ExecuteUpdateAsync(update => update.SetProperty(c => c.UpdatedAt, at), cancellationToken);
}
