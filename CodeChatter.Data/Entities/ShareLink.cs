namespace CodeChatter.Data.Entities;

/// <summary>
/// A read-only link to one conversation, for anyone who has it (signed in or not, unless the instance
/// requires sign-in). The token is 128 random bits; it is looked up by its SHA-256 hash (so a lookup's
/// timing says nothing about the token) and kept itself only so its owner can copy the link again from
/// their list (anyone who can read the database can read the conversation anyway). Revoked or expired,
/// it opens nothing. Deleted with its conversation.
/// </summary>
public class ShareLink
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public Conversation? Conversation { get; set; }

    /// <summary>The conversation's owner, who made the link (their list, the admin's list).</summary>
    public string OwnerId { get; set; } = "";

    /// <summary>The token as it appears in the link (base64url, 22 characters).</summary>
    public string Token { get; set; } = "";

    /// <summary>SHA-256 of the token's characters (UTF-8): what a presented token is looked up by.</summary>
    public byte[] TokenHash { get; set; } = [];

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>When it stops opening, or null for never.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>When its owner or an admin revoked it, or null.</summary>
    public DateTime? RevokedAt { get; set; }

    /// <summary>How many times it was opened.</summary>
    public long ViewCount { get; set; }

    public DateTime? LastViewedAt { get; set; }
}
