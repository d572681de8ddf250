namespace CodeChatter.Core.Chat;

/// <summary>What a person does to a conversation besides sending messages: rename it, delete it.</summary>
public sealed class ConversationService(IConversationStore store, TimeProvider clock)
{
    /// <summary>Gives one of that person's conversations a new title (trimmed).</summary>
    /// <returns>False when the conversation is not theirs.</returns>
    public Task<bool> RenameAsync(string userId, long conversationId, string title, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        return store.RenameAsync(userId, conversationId, title.Trim(), clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Deletes one of that person's conversations with all its messages and runs.</summary>
    /// <returns>False when the conversation is not theirs.</returns>
    public Task<bool> DeleteAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(userId, conversationId, cancellationToken);
}

/// <summary>Where conversations are changed. Finds nothing in someone else's conversations.</summary>
public interface IConversationStore
{
    /// <summary>Sets the title and the time of the change; false when the conversation is not that person's.</summary>
    Task<bool> RenameAsync(string userId, long conversationId, string title, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation with its messages and runs; false when it is not that person's.</summary>
    Task<bool> DeleteAsync(string userId, long conversationId, CancellationToken cancellationToken = default);
}
