using System.Text;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Export;

/// <summary>
/// Writes a conversation as one script in its default language, in the percent format that Jupytext,
/// VS Code and Spyder read as cells: <c># %%</c> (<c>// %%</c> for JavaScript and C) before each snippet,
/// <c># %% [markdown]</c> before each note, whose lines become comments. Outputs are left out: a script is
/// what to run, not what it printed.
/// </summary>
public static class ScriptExporter
{
    /// <summary>The script's text.</summary>
    public static string Write(ConversationView conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var language = NotebookLanguages.Of(conversation.DefaultLanguage);
        var comment = language.CommentPrefix;
        var script = new StringBuilder();
        script.Append(comment).Append(' ').Append(OneLine(conversation.Title)).Append('\n');
        foreach (var message in conversation.Messages)
        {
            script.Append('\n');
            if (message.Kind == SnippetKind.Note)
            {
                script.Append(language.CellMarker).Append(" [markdown]\n");
                AppendCommented(script, comment, message.Code);
                continue;
            }
            script.Append(language.CellMarker).Append('\n');
            if (!string.Equals(message.Language, conversation.DefaultLanguage, StringComparison.OrdinalIgnoreCase))
            {
                // Said rather than hidden: the cell is not in the script's language and will not run as it is.
                script.Append(comment).Append(" language: ").Append(message.Language).Append('\n');
            }
            if (message.Stdin.Length > 0)
            {
                script.Append(comment).Append(" standard input:\n");
                AppendCommented(script, comment, message.Stdin);
            }
            script.Append(message.Code);
            if (!message.Code.EndsWith('\n')) script.Append('\n');
        }
        return script.ToString();
    }

    private static void AppendCommented(StringBuilder script, string comment, string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            script.Append(comment);
            if (line.Length > 0) script.Append(' ').Append(line.TrimEnd('\r'));
            script.Append('\n');
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
