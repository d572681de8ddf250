using CodeChatter.Core.Chat.Attachments;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Attachments;

/// <summary>
/// How many bytes a person keeps: their conversations' attachments plus every item their runs displayed or
/// left behind. Sums the stored <c>Size</c> columns, never the bytes themselves, so it stays cheap however
/// much is stored.
/// </summary>
public sealed class EfStorageUsage(ChatDbContext db) : IStorageUsage
{
    /// <inheritdoc />
    public async Task<long> UsedBytesAsync(string userId, CancellationToken cancellationToken = default)
    {
        var attachments = await db.ConversationAttachments
            .Where(a => a.Conversation!.OwnerId == userId)
            .SumAsync(a => (long?)a.Size, cancellationToken) ?? 0;
        var outputs = await db.ExecutionOutputs
            .Where(o => o.Execution!.OwnerId == userId)
            .SumAsync(o => (long?)o.Size, cancellationToken) ?? 0;
        return attachments + outputs;
    }
}
