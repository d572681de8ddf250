using System.Text;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Export;

/// <summary>
/// Writes a conversation as a Jupyter notebook, nbformat 4.5 (cells carry ids): notes become Markdown cells,
/// snippets code cells with the outputs of their latest finished run, in the order the reply showed them.
/// </summary>
/// <remarks>
/// Jupyter has one kernel per notebook, so the notebook declares the conversation's default language; a
/// snippet in another language keeps its own in the cell's <c>codechatter</c> metadata (with its standard
/// input), which <see cref="NotebookReader"/> reads back, so a conversation survives the round trip.
/// Sources and stream texts are lists of lines, as Jupyter itself saves them, so diffs stay readable.
/// </remarks>
public static class NotebookExporter
{
    /// <summary>The nbformat major version written.</summary>
    public const int Format = 4;

    /// <summary>The nbformat minor version written: 5, the first with cell ids.</summary>
    public const int FormatMinor = 5;

    /// <summary>Where a cell keeps what Jupyter has no field for (a snippet's own language, its standard input).</summary>
    public const string MetadataKey = "codechatter";

    /// <summary>The notebook as indented UTF-8 JSON.</summary>
    public static byte[] Write(ExportSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var conversation = source.Conversation;
        var language = NotebookLanguages.Of(conversation.DefaultLanguage);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteStartObject("kernelspec");
            json.WriteString("name", language.KernelName);
            json.WriteString("display_name", language.KernelDisplayName);
            json.WriteString("language", language.LanguageInfoName);
            json.WriteEndObject();
            json.WriteStartObject("language_info");
            json.WriteString("name", language.LanguageInfoName);
            json.WriteEndObject();
            json.WriteString("title", conversation.Title);
            json.WriteEndObject();
            json.WriteNumber("nbformat", Format);
            json.WriteNumber("nbformat_minor", FormatMinor);
            json.WriteStartArray("cells");
            foreach (var message in conversation.Messages)
            {
                if (message.Kind == SnippetKind.Note) WriteMarkdownCell(json, message);
                else WriteCodeCell(json, message, conversation.DefaultLanguage, source);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteMarkdownCell(Utf8JsonWriter json, MessageView note)
    {
        json.WriteStartObject();
        json.WriteString("cell_type", "markdown");
        json.WriteString("id", CellId(note));
        json.WriteStartObject("metadata");
        json.WriteEndObject();
        WriteLines(json, "source", note.Code);
        json.WriteEndObject();
    }

    private static void WriteCodeCell(Utf8JsonWriter json, MessageView snippet, string notebookLanguage, ExportSource source)
    {
        var run = ExportSource.LatestFinishedRun(snippet);
        json.WriteStartObject();
        json.WriteString("cell_type", "code");
        json.WriteString("id", CellId(snippet));
        json.WriteStartObject("metadata");
        var ownLanguage = !string.Equals(snippet.Language, notebookLanguage, StringComparison.OrdinalIgnoreCase);
        if (ownLanguage || snippet.Stdin.Length > 0)
        {
            json.WriteStartObject(MetadataKey);
            if (ownLanguage) json.WriteString("language", snippet.Language);
            if (snippet.Stdin.Length > 0) json.WriteString("stdin", snippet.Stdin);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        // Only a run in a session has a counter that means what Jupyter's does; a fresh sandbox has none.
        if (run?.ExecutionCounter is { } counter) json.WriteNumber("execution_count", counter);
        else json.WriteNull("execution_count");
        WriteLines(json, "source", snippet.Code);
        json.WriteStartArray("outputs");
        if (run is not null) WriteOutputs(json, run, source);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOutputs(Utf8JsonWriter json, RunView run, ExportSource source)
    {
        var figure = 0;
        foreach (var part in ReplyTimeline.Of(run, run.Stdout))
        {
            if (part.Text is { } text)
            {
                WriteStream(json, "stdout", text);
                continue;
            }
            var item = part.Item!;
            switch (item.MediaType)
            {
                case RichMediaTypes.Png when source.Images.TryGetValue(item.Id, out var png):
                    figure++;
                    WriteDisplayData(json, [("image/png", Convert.ToBase64String(png)), ("text/plain", $"<Figure {figure}>")]);
                    break;
                case RichMediaTypes.Html:
                    WriteDisplayData(json, [("text/html", source.SanitizeHtml(item.Content))]);
                    break;
                case RichMediaTypes.PlainText:
                    WriteDisplayData(json, [("text/plain", item.Content ?? "")]);
                    break;
                case RichMediaTypes.File:
                    WriteStream(json, "stdout", RunSummary.FileLine(item) + "\n");
                    break;
            }
        }
        if (run.Stderr.Length > 0) WriteStream(json, "stderr", run.Stderr);
        if (RunSummary.StatusLine(run) is { } status)
        {
            var separator = run.Stderr.Length > 0 && !run.Stderr.EndsWith('\n') ? "\n" : "";
            WriteStream(json, "stderr", separator + status + "\n");
        }
    }

    private static void WriteStream(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject();
        json.WriteString("output_type", "stream");
        json.WriteString("name", name);
        WriteLines(json, "text", text);
        json.WriteEndObject();
    }

    private static void WriteDisplayData(Utf8JsonWriter json, IReadOnlyList<(string MediaType, string Data)> representations)
    {
        json.WriteStartObject();
        json.WriteString("output_type", "display_data");
        json.WriteStartObject("data");
        foreach (var (mediaType, data) in representations)
        {
            // Jupyter keeps base64 as one string and text as lines.
            if (mediaType == "image/png") json.WriteString(mediaType, data);
            else WriteLines(json, mediaType, data);
        }
        json.WriteEndObject();
        json.WriteStartObject("metadata");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteLines(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartArray(name);
        foreach (var line in SplitLines(text)) json.WriteStringValue(line);
        json.WriteEndArray();
    }

    /// <summary>The text as Jupyter's lists of lines: every line but the last keeps its <c>\n</c>; joined, they are the text.</summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length - 1;
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return lines;
    }

    private static string CellId(MessageView message) => $"snippet-{message.SnippetId}";
}
