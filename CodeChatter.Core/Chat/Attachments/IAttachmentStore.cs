using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Attachments;

/// <summary>Where attachments are kept (the data layer). Every method that takes a person checks ownership.</summary>
public interface IAttachmentStore
{
    /// <summary>That person's conversation's attachments by name, or null when the conversation is not theirs.</summary>
    Task<IReadOnlyList<AttachmentView>?> ListAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a file under <paramref name="name"/> in that person's conversation, replacing one of the same
    /// name; null when the conversation is not theirs. Limits are the caller's to check first.
    /// </summary>
    Task<(AttachmentView Attachment, bool Replaced)?> PutAsync(
        string userId, long conversationId, string name, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>Removes one attachment of that person's conversation; false when there is no such one of theirs.</summary>
    Task<bool> RemoveAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default);

    /// <summary>One attachment's bytes, or null when it is not in that person's conversation.</summary>
    Task<AttachmentContent?> GetContentAsync(string userId, long conversationId, long attachmentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every attachment of a conversation with its bytes, for a run of it (the caller already checked the
    /// run is that conversation owner's).
    /// </summary>
    Task<IReadOnlyList<InputFile>> LoadInputsAsync(long conversationId, CancellationToken cancellationToken = default);
}

/// <summary>How much a person keeps stored (the data layer): what <see cref="QuotaOptions.StorageMiB"/> limits.</summary>
public interface IStorageUsage
{
    /// <summary>Bytes of that person's stored rich output, output files and attachments.</summary>
    Task<long> UsedBytesAsync(string userId, CancellationToken cancellationToken = default);
}
