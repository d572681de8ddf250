using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Export;

/// <summary>
/// What the exporters write from: the conversation as its owner reads it (each snippet's latest run with
/// whole streams), the bytes of the images those runs displayed, and the display sanitizer that tables
/// must pass before they leave, as on the chat page.
/// </summary>
/// <param name="Conversation">The conversation, its latest runs carrying their whole stdout and stderr.</param>
/// <param name="Images">The bytes of each displayed image, by output id; an image missing here is left out.</param>
/// <param name="SanitizeHtml">
/// The chat page's display sanitizer. A snippet's HTML is hostile until cleaned, and the sanitizer lives with
/// the pages, so the caller hands it in rather than Core keeping a second allow-list that could drift.
/// </param>
public sealed record ExportSource(ConversationView Conversation, IReadOnlyDictionary<long, byte[]> Images, Func<string?, string> SanitizeHtml)
{
    /// <summary>The run an export shows for a message: its newest finished one; null for a note or a snippet never finished.</summary>
    public static RunView? LatestFinishedRun(MessageView message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Replies.Select(r => r.Run).FirstOrDefault(r => !r.IsRunning);
    }
}
