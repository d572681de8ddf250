using CodeChatter.Core.Export;
using CodeChatter.Data.Entities;

namespace CodeChatter.Data;

/// <summary>Stores imported notebooks in <see cref="ChatDbContext"/>: the conversation and its messages, without runs.</summary>
public sealed class EfConversationImportStore(ChatDbContext db) : IConversationImportStore
{
    /// <inheritdoc />
    public async Task<long> CreateAsync(ImportedConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var stored = new Conversation
        {
            OwnerId = conversation.OwnerId, Title = conversation.Title, DefaultLanguage = conversation.DefaultLanguage,
            Mode = conversation.Mode, CreatedAt = conversation.At, UpdatedAt = conversation.At,
        };
        stored.Snippets.AddRange(conversation.Messages.Select((message, index) => new Snippet
        {
            Sequence = index + 1, Kind = message.Kind, Language = message.Language, Code = message.Text, Stdin = message.Stdin,
            CreatedAt = conversation.At,
        }));
        db.Conversations.Add(stored);
        // One SaveChanges is one transaction: the conversation arrives whole or not at all.
        await db.SaveChangesAsync(cancellationToken);
        return stored.Id;
    }
}
