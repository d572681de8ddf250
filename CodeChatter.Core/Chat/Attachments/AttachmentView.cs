namespace CodeChatter.Core.Chat.Attachments;

/// <summary>One attachment of a conversation, as its page and the API list it (never its bytes).</summary>
/// <param name="Id">Its id.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="Name">Its name under <c>inputs/</c> (see <see cref="FileNames.ForAttachment"/>).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="CreatedAt">When it was attached (or last replaced).</param>
public sealed record AttachmentView(long Id, long ConversationId, string Name, long Size, DateTimeOffset CreatedAt);

/// <summary>An attachment's bytes, for its owner's download.</summary>
/// <param name="Id">Its id.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="Name">Its name.</param>
/// <param name="Content">Its bytes.</param>
public sealed record AttachmentContent(long Id, long ConversationId, string Name, byte[] Content);

/// <summary>How an upload went.</summary>
public abstract record AttachOutcome
{
    private AttachOutcome()
    {
    }

    /// <summary>Stored (a file of the same name in that conversation was replaced).</summary>
    /// <param name="Attachment">What is stored now.</param>
    /// <param name="Replaced">Whether it replaced an attachment of the same name.</param>
    public sealed record Attached(AttachmentView Attachment, bool Replaced) : AttachOutcome;

    /// <summary>Refused, with a reason the person can act on (too large, conversation full, storage quota, bad name).</summary>
    /// <param name="Reason">The reason, in words.</param>
    public sealed record Refused(string Reason) : AttachOutcome;

    /// <summary>No such conversation of that person's.</summary>
    public sealed record NotFound : AttachOutcome;
}
