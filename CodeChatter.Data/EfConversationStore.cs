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
}
