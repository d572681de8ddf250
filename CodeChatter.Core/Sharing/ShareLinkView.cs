namespace CodeChatter.Core.Sharing;

/// <summary>Whether a share link still opens its conversation.</summary>
public enum ShareLinkState
{
    /// <summary>It opens the conversation.</summary>
    Live,

    /// <summary>Its expiry has passed.</summary>
    Expired,

    /// <summary>Its owner or an admin revoked it.</summary>
    Revoked,
}

/// <summary>
/// A share link as its owner's list, the admin's list and the API show it. It carries the token because the
/// owner copies the link again from their list; it is never shown to anyone but the owner and admins.
/// </summary>
/// <param name="Id">The link's row id.</param>
/// <param name="ConversationId">The conversation it opens.</param>
/// <param name="ConversationTitle">That conversation's title.</param>
/// <param name="OwnerId">Who made it (the conversation's owner).</param>
/// <param name="OwnerEmail">The owner's e-mail address (their id when they have none), for the admin's list.</param>
/// <param name="Token">The token in the link's address.</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="ExpiresAt">When it stops opening (UTC), or null for never.</param>
/// <param name="RevokedAt">When it was revoked (UTC), or null.</param>
/// <param name="ViewCount">How many times the shared page was opened.</param>
/// <param name="LastViewedAt">When it was last opened (UTC), or null.</param>
public sealed record ShareLinkView(
    long Id, long ConversationId, string ConversationTitle, string OwnerId, string OwnerEmail, string Token,
    DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, long ViewCount, DateTime? LastViewedAt)
{
    /// <summary>Whether it opens its conversation at <paramref name="utcNow"/>; revocation wins over expiry.</summary>
    public ShareLinkState StateAt(DateTime utcNow) =>
        RevokedAt is not null ? ShareLinkState.Revoked
        : ExpiresAt is { } expires && expires <= utcNow ? ShareLinkState.Expired
        : ShareLinkState.Live;
}

/// <summary>A conversation opened through a live share link: what the public page shows, read-only.</summary>
/// <param name="Link">The link it was opened with.</param>
/// <param name="Conversation">The conversation with every message and reply. Its owner's e-mail is not for the page.</param>
public sealed record SharedConversation(ShareLinkView Link, Chat.Reading.ConversationView Conversation);
