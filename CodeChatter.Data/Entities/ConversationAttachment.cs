namespace CodeChatter.Data.Entities;

/// <summary>
/// A file a person attached to one of their conversations: every message of it sees the file read-only
/// under <c>inputs/</c>. Kept in the database (not on the host's disk), so backups, restores and deletes
/// treat it like the rest of the conversation. Deleted with its conversation.
/// </summary>
public class ConversationAttachment
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public Conversation? Conversation { get; set; }

    /// <summary>Its name under <c>inputs/</c>: one safe path component, unique in the conversation.</summary>
    public string Name { get; set; } = "";

    public byte[] Content { get; set; } = [];

    /// <summary>SHA-256 of <see cref="Content"/>, lowercase hex.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Length of <see cref="Content"/>, so sizes are summed without reading the bytes.</summary>
    public long Size { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
