using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Sharing;

/// <summary>A new link's row, as <see cref="ShareService"/> made it.</summary>
/// <param name="OwnerId">The person making it; it is stored only when the conversation is theirs.</param>
/// <param name="ConversationId">The conversation it opens.</param>
/// <param name="Token">Its token.</param>
/// <param name="TokenHash">SHA-256 of the token (<see cref="ShareTokens.Hash"/>).</param>
/// <param name="CreatedAt">Now (UTC).</param>
/// <param name="ExpiresAt">When it stops opening (UTC), or null for never.</param>
public sealed record NewShareLink(string OwnerId, long ConversationId, string Token, byte[] TokenHash, DateTime CreatedAt, DateTime? ExpiresAt);

/// <summary>
/// Where share links are kept. A person's links are found only with their id; a link found by token is
/// returned whatever its state, and <see cref="ShareService"/> decides whether it opens.
/// </summary>
public interface IShareLinkStore
{
    /// <summary>Stores a link; null when the conversation is not the owner's.</summary>
    Task<ShareLinkView?> AddAsync(NewShareLink link, CancellationToken cancellationToken = default);

    /// <summary>The link whose token this is (looked up by hash, confirmed in fixed time), or null.</summary>
    Task<ShareLinkView?> FindByTokenAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>That person's links, newest first; only those of one conversation when <paramref name="conversationId"/> is set.</summary>
    Task<IReadOnlyList<ShareLinkView>> ListOwnedAsync(string ownerId, long? conversationId, CancellationToken cancellationToken = default);

    /// <summary>Everyone's links, newest first, at most <paramref name="limit"/>: the admin's list.</summary>
    Task<IReadOnlyList<ShareLinkView>> ListEveryonesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>One link of anyone's by id, or null.</summary>
    Task<ShareLinkView?> FindAsync(long linkId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the revocation time of a link that has none (of that owner's only, unless <paramref name="ownerId"/>
    /// is null) and returns the link; revoking again changes nothing. Null when there is no such link.
    /// </summary>
    Task<ShareLinkView?> RevokeAsync(string? ownerId, long linkId, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Counts one opening of the shared page.</summary>
    Task RecordViewAsync(long linkId, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>The bytes of one displayed item or file of a run in that conversation; null when it is not in it.</summary>
    Task<OutputContent?> FindOutputAsync(long conversationId, long outputId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a new conversation of <paramref name="newOwnerId"/>'s titled <paramref name="title"/> with the
    /// language, mode, snippets and notes of <paramref name="sourceConversationId"/> in order, and no runs.
    /// </summary>
    /// <returns>The new conversation's id, or null when the source is gone.</returns>
    Task<long?> CopyConversationAsync(long sourceConversationId, string newOwnerId, string title, DateTime at, CancellationToken cancellationToken = default);
}
