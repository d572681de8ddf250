using System.Text;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Export;

/// <summary>
/// Writes a conversation as a Markdown document: its title as the heading, notes as they are, each snippet
/// in a fenced block of its language and its latest finished run's output in fenced <c>text</c> blocks
/// (figures and tables are named there rather than embedded; the notebook export carries them).
/// </summary>
public static class MarkdownExporter
{
    /// <summary>The document's text.</summary>
    public static string Write(ConversationView conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var document = new StringBuilder();
        document.Append("# ").Append(conversation.Title.ReplaceLineEndings(" ")).Append('\n');
        foreach (var message in conversation.Messages)
        {
            document.Append('\n');
            if (message.Kind == SnippetKind.Note)
            {
                document.Append(message.Code.TrimEnd('\n')).Append('\n');
                continue;
            }
            AppendFenced(document, NotebookLanguages.Of(message.Language).FenceLanguage, message.Code);
            if (message.Stdin.Length > 0)
            {
                document.Append("\nStandard input:\n\n");
                AppendFenced(document, "text", message.Stdin);
            }
            if (ExportSource.LatestFinishedRun(message) is { } run) AppendOutput(document, run);
        }
        return document.ToString();
    }

    private static void AppendOutput(StringBuilder document, RunView run)
    {
        var output = new StringBuilder();
        var figure = 0;
        foreach (var part in ReplyTimeline.Of(run, run.Stdout))
        {
            if (part.Text is { } text)
            {
                output.Append(text);
                continue;
            }
            if (output.Length > 0 && output[^1] != '\n') output.Append('\n');
            var item = part.Item!;
            output.Append(item.MediaType switch
            {
                RichMediaTypes.Png => $"[Figure {++figure}: PNG image, {item.Size} bytes]",
                RichMediaTypes.Html => "[Table (HTML)]",
                RichMediaTypes.File => RunSummary.FileLine(item),
                _ => item.Content ?? "",
            }).Append('\n');
        }
        if (output.Length > 0)
        {
            document.Append("\nOutput:\n\n");
            AppendFenced(document, "text", output.ToString());
        }
        if (run.Stderr.Length > 0)
        {
            document.Append("\nStandard error:\n\n");
            AppendFenced(document, "text", run.Stderr);
        }
        if (RunSummary.StatusLine(run) is { } status) document.Append('\n').Append(status).Append('\n');
    }

    /// <summary>
    /// A fenced block whose fence is longer than any run of backticks in the text, so code that itself holds
    /// a fence (a Markdown string in Python) cannot end the block early.
    /// </summary>
    private static void AppendFenced(StringBuilder document, string info, string text)
    {
        var fence = new string('`', Math.Max(3, LongestBacktickRun(text) + 1));
        document.Append(fence).Append(info).Append('\n').Append(text);
        if (!text.EndsWith('\n')) document.Append('\n');
        document.Append(fence).Append('\n');
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, current = 0;
        foreach (var character in text)
        {
            current = character == '`' ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }
        return longest;
    }
}
