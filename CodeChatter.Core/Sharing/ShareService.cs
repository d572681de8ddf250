using CodeChatter.Core.Audit;
using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Sharing;

/// <summary>
/// Read-only links to a conversation: made and revoked by its owner (or revoked by an admin, audited), opened
/// by anyone who has one while it is live, and copied into a signed-in viewer's own conversations. An
/// unknown, expired or revoked token all read as "no such link", so the answer says nothing about which.
/// </summary>
public sealed class ShareService(IShareLinkStore store, IConversationQueries conversations, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The longest expiry a link may be given, in days.</summary>
    public const int MaxExpiryDays = 365;

    /// <summary>How many links the admin's list shows at most.</summary>
    public const int AdminListLimit = 500;

    /// <summary>What a copy's title starts with.</summary>
    public const string CopyTitlePrefix = "Copy of ";

    // The conversation title column's length.
    private const int MaxTitleLength = 200;

    /// <summary>Whether <paramref name="days"/> is an expiry a link may have (null is never).</summary>
    public static bool IsValidExpiry(int? days) => days is null or (>= 1 and <= MaxExpiryDays);

    /// <summary>Makes a link to one of that person's conversations, expiring after <paramref name="expiresInDays"/> days (null: never).</summary>
    /// <returns>The link, or null when the conversation is not theirs.</returns>
    public async Task<ShareLinkView?> CreateAsync(string ownerId, long conversationId, int? expiresInDays, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        if (!IsValidExpiry(expiresInDays)) throw new ArgumentOutOfRangeException(nameof(expiresInDays), expiresInDays, $"An expiry is 1 to {MaxExpiryDays} days, or none.");
        var now = clock.GetUtcNow().UtcDateTime;
        var token = ShareTokens.New();
        var link = await store.AddAsync(
            new NewShareLink(ownerId, conversationId, token, ShareTokens.Hash(token), now, expiresInDays is { } days ? now.AddDays(days) : null),
            cancellationToken);
        if (link is not null)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.ShareLinkCreated, ownerId, ownerId, Describe(link)), cancellationToken);
        }
        return link;
    }

    /// <summary>That person's links, newest first.</summary>
    public Task<IReadOnlyList<ShareLinkView>> ListMineAsync(string ownerId, CancellationToken cancellationToken = default) =>
        store.ListOwnedAsync(ownerId, null, cancellationToken);

    /// <summary>That person's links to one of their conversations, newest first (none when it is not theirs).</summary>
    public Task<IReadOnlyList<ShareLinkView>> ListForConversationAsync(string ownerId, long conversationId, CancellationToken cancellationToken = default) =>
        store.ListOwnedAsync(ownerId, conversationId, cancellationToken);

    /// <summary>Everyone's links, newest first: the admin's list.</summary>
    public Task<IReadOnlyList<ShareLinkView>> ListEveryonesAsync(CancellationToken cancellationToken = default) =>
        store.ListEveryonesAsync(AdminListLimit, cancellationToken);

    /// <summary>Revokes one of that person's links (revoking again changes nothing).</summary>
    /// <returns>The link, or null when they have no such link.</returns>
    public async Task<ShareLinkView?> RevokeAsync(string ownerId, long linkId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        var before = await store.FindAsync(linkId, cancellationToken);
        if (before is null || before.OwnerId != ownerId) return null;
        var link = await store.RevokeAsync(ownerId, linkId, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (link is not null && before.RevokedAt is null)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.ShareLinkRevoked, ownerId, ownerId, Describe(link)), cancellationToken);
        }
        return link;
    }

    /// <summary>An admin revokes anyone's link; audited with the admin as actor and the owner as target.</summary>
    /// <returns>The link, or null when there is no such link.</returns>
    public async Task<ShareLinkView?> RevokeAsAdminAsync(string adminId, long linkId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminId);
        var before = await store.FindAsync(linkId, cancellationToken);
        if (before is null) return null;
        var link = await store.RevokeAsync(null, linkId, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (link is not null && before.RevokedAt is null)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.ShareLinkRevokedByAdmin, adminId, link.OwnerId, Describe(link)), cancellationToken);
        }
        return link;
    }

    /// <summary>
    /// Opens the conversation a token shares and counts the view; null when the token is unknown, expired or revoked.
    /// </summary>
    public async Task<SharedConversation?> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (await FindLiveAsync(token, cancellationToken) is not { } link) return null;
        if (await conversations.FindAnyoneAsync(link.ConversationId, cancellationToken) is not { } conversation) return null;
        await store.RecordViewAsync(link.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return new SharedConversation(link, conversation);
    }

    /// <summary>
    /// One image or file of the shared conversation; null unless the link is live and the item belongs to a run
    /// of that very conversation. Not counted as a view: the page that shows it was.
    /// </summary>
    public async Task<OutputContent?> FindOutputAsync(string? token, long outputId, CancellationToken cancellationToken = default)
    {
        if (await FindLiveAsync(token, cancellationToken) is not { } link) return null;
        var output = await store.FindOutputAsync(link.ConversationId, outputId, cancellationToken);
        return output?.ConversationId == link.ConversationId ? output : null;
    }

    /// <summary>
    /// Copies the shared conversation into the viewer's own: same language, mode, snippets and notes in order,
    /// titled "Copy of …", with nothing run.
    /// </summary>
    /// <returns>The new conversation's id, or null when the link does not open.</returns>
    public async Task<long?> CopyAsync(string? token, string viewerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(viewerId);
        if (await FindLiveAsync(token, cancellationToken) is not { } link) return null;
        return await store.CopyConversationAsync(link.ConversationId, viewerId, CopyTitle(link.ConversationTitle), clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>The title of a copy: "Copy of" and the original, cut to the title column's length.</summary>
    public static string CopyTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var copy = CopyTitlePrefix + title;
        return copy.Length <= MaxTitleLength ? copy : copy[..MaxTitleLength];
    }

    private async Task<ShareLinkView?> FindLiveAsync(string? token, CancellationToken cancellationToken)
    {
        if (!ShareTokens.IsWellFormed(token)) return null;
        var link = await store.FindByTokenAsync(token!, cancellationToken);
        return link?.StateAt(clock.GetUtcNow().UtcDateTime) == ShareLinkState.Live ? link : null;
    }

    // Never the token: the audit log is read by admins who should not thereby get the link.
    private static string Describe(ShareLinkView link) => $"link {link.Id} to conversation {link.ConversationId} '{link.ConversationTitle}'";
}
