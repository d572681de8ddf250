using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// The messages as <c>_Messages</c> renders them: with the buttons to re-run (which submit the chat page's one
/// <c>#rerun-form</c>), or read-only for an admin or a share link.
/// With <see cref="OnlyReply"/> set it renders that one reply alone, for the page's script to swap in
/// when a run ends, so a reply's markup exists only in <c>_Messages</c>.
/// </summary>
public sealed record MessageList(long ConversationId, IReadOnlyList<MessageView> Messages, bool ReadOnly)
{
    public ReplyView? OnlyReply { get; init; }

    /// <summary>
    /// Set for the public page of a share link (read-only): images and files are then served from the link's
    /// own addresses, which check the link, instead of the owner-only ones.
    /// </summary>
    public string? ShareToken { get; init; }

    public static MessageList Reply(ReplyView reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new MessageList(reply.Run.ConversationId, [], ReadOnly: false) { OnlyReply = reply };
    }
}
