using System.Text;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Export;

/// <summary>
/// Lets a conversation leave as a notebook, a script or a Markdown document. Reads only through
/// <see cref="IConversationQueries"/> and <see cref="IRunQueries"/>, which find only the person's own: someone
/// else's conversation exports as nothing, exactly as one that does not exist.
/// </summary>
public sealed class ConversationExporter(IConversationQueries conversations, IRunQueries runs)
{
    /// <summary>The media type of a notebook download.</summary>
    public const string NotebookMediaType = "application/x-ipynb+json";

    /// <summary>The media type of a Markdown download.</summary>
    public const string MarkdownMediaType = "text/markdown; charset=utf-8";

    /// <summary>One of that person's conversations written in <paramref name="format"/>; null when it is not theirs.</summary>
    /// <param name="userId">Who asks.</param>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="format">The shape to write.</param>
    /// <param name="sanitizeHtml">The chat page's display sanitizer, which every table passes before it leaves.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<ExportedFile?> ExportAsync(
        string userId, long conversationId, ExportFormat format, Func<string?, string> sanitizeHtml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sanitizeHtml);
        var conversation = await conversations.FindOwnedAsync(userId, conversationId, cancellationToken);
        if (conversation is null) return null;
        if (format == ExportFormat.Script)
        {
            var language = NotebookLanguages.Of(conversation.DefaultLanguage);
            return new ExportedFile(
                ExportFileNames.For(conversation.Title, conversation.Id, language.ScriptExtension),
                language.ScriptMediaType + "; charset=utf-8", Encoding.UTF8.GetBytes(ScriptExporter.Write(conversation)));
        }
        conversation = await WithWholeStreamsAsync(userId, conversation, cancellationToken);
        if (format == ExportFormat.Markdown)
        {
            return new ExportedFile(
                ExportFileNames.For(conversation.Title, conversation.Id, ".md"), MarkdownMediaType,
                Encoding.UTF8.GetBytes(MarkdownExporter.Write(conversation)));
        }
        var images = await ImagesOfAsync(userId, conversation, cancellationToken);
        return new ExportedFile(
            ExportFileNames.For(conversation.Title, conversation.Id, ".ipynb"), NotebookMediaType,
            NotebookExporter.Write(new ExportSource(conversation, images, sanitizeHtml)));
    }

    /// <summary>
    /// The conversation with each exported run's whole stdout and stderr: views show only the first
    /// <c>Execution:MaxOutputBytesPerStream</c> bytes of each, and an export should not stop where the page's preview does.
    /// </summary>
    private async Task<ConversationView> WithWholeStreamsAsync(string userId, ConversationView conversation, CancellationToken cancellationToken)
    {
        var messages = new List<MessageView>(conversation.Messages.Count);
        foreach (var message in conversation.Messages)
        {
            var run = ExportSource.LatestFinishedRun(message);
            if (run is null || (!run.StdoutMoreStored && !run.StderrMoreStored))
            {
                messages.Add(message);
                continue;
            }
            var whole = run with
            {
                Stdout = run.StdoutMoreStored
                    ? await runs.FindWholeOutputAsync(userId, conversation.Id, run.Id, OutputStream.Stdout, cancellationToken) ?? run.Stdout
                    : run.Stdout,
                Stderr = run.StderrMoreStored
                    ? await runs.FindWholeOutputAsync(userId, conversation.Id, run.Id, OutputStream.Stderr, cancellationToken) ?? run.Stderr
                    : run.Stderr,
                StdoutMoreStored = false, StderrMoreStored = false,
            };
            messages.Add(message with { Replies = [new ReplyView(whole, null)] });
        }
        return conversation with { Messages = messages };
    }

    /// <summary>The bytes of every image the exported runs displayed, through the same owner-only lookup that serves them to the page.</summary>
    private async Task<IReadOnlyDictionary<long, byte[]>> ImagesOfAsync(string userId, ConversationView conversation, CancellationToken cancellationToken)
    {
        var images = new Dictionary<long, byte[]>();
        foreach (var message in conversation.Messages)
        {
            if (ExportSource.LatestFinishedRun(message) is not { } run) continue;
            foreach (var item in run.Outputs.Where(i => i.IsImage && i.Id > 0))
            {
                var output = await runs.FindOutputAsync(userId, item.Id, cancellationToken);
                if (output is not null && output.ExecutionId == run.Id && output.MediaType == RichMediaTypes.Png) images[item.Id] = output.Content;
            }
        }
        return images;
    }
}
