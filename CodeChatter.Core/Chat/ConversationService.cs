using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Chat;

/// <summary>
/// What a person does to a conversation besides sending messages: rename it, delete it, edit or delete a note.
/// A code snippet is never changed once sent: its runs were made from exactly that text.
/// </summary>
public sealed class ConversationService(IConversationStore store, ISessionRunner sessions, TimeProvider clock)
{
    /// <summary>Gives one of that person's conversations a new title (trimmed).</summary>
    /// <returns>False when the conversation is not theirs.</returns>
    public Task<bool> RenameAsync(string userId, long conversationId, string title, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        return store.RenameAsync(userId, conversationId, title.Trim(), clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Deletes one of that person's conversations with all its messages and runs, and ends its live sessions.</summary>
    /// <returns>False when the conversation is not theirs.</returns>
    public async Task<bool> DeleteAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(userId, conversationId, cancellationToken)) return false;
        await sessions.EndConversationAsync(userId, conversationId, SessionEndReason.ConversationDeleted);
        return true;
    }

    /// <summary>
    /// Replaces the Markdown text of one of that person's notes. Check the text first with
    /// <see cref="RunService.Validate"/> (as a note), as for a new note.
    /// </summary>
    /// <returns>False when the note is not theirs, or the message is code rather than a note.</returns>
    public Task<bool> EditNoteAsync(string userId, long snippetId, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return store.EditNoteAsync(userId, snippetId, text, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Deletes one of that person's notes.</summary>
    /// <returns>False when the note is not theirs, or the message is code rather than a note.</returns>
    public Task<bool> DeleteNoteAsync(string userId, long snippetId, CancellationToken cancellationToken = default) =>
        store.DeleteNoteAsync(userId, snippetId, clock.GetUtcNow().UtcDateTime, cancellationToken);
}

/// <summary>Where conversations are changed. Finds nothing in someone else's conversations.</summary>
public interface IConversationStore
{
    /// <summary>Sets the title and the time of the change; false when the conversation is not that person's.</summary>
    Task<bool> RenameAsync(string userId, long conversationId, string title, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation with its messages and runs; false when it is not that person's.</summary>
    Task<bool> DeleteAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets how the conversation runs its snippets and the time of the change, atomically.
    /// </summary>
    /// <returns>Its mode before, or null when it is not that person's.</returns>
    Task<ConversationMode?> SetModeAsync(string userId, long conversationId, ConversationMode mode, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Sets a note's text and its conversation's time of change; false when it is not that person's note.</summary>
    Task<bool> EditNoteAsync(string userId, long snippetId, string text, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Deletes a note and sets its conversation's time of change; false when it is not that person's note.</summary>
    Task<bool> DeleteNoteAsync(string userId, long snippetId, DateTime at, CancellationToken cancellationToken = default);
}
