using System.Text;
using System.Text.Json;
using CodeChatter.Core.Chat;

namespace CodeChatter.Core.Export;

/// <summary>
/// Reads an uploaded <c>.ipynb</c> into messages: code cells become snippets, Markdown cells notes, raw
/// cells and every output are dropped. Anything that is not an nbformat 4 notebook with cells is a
/// <see cref="NotebookProblem"/> saying what is wrong, never an exception.
/// </summary>
public static class NotebookReader
{
    /// <summary>The largest notebook taken: 5 MiB.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    private const string DefaultTitle = "Imported notebook";

    /// <summary>The notebook's title, language and messages, or the problem that stops it being read.</summary>
    /// <param name="content">The uploaded bytes.</param>
    /// <param name="fileName">The uploaded file's name, the title when the notebook names none.</param>
    public static NotebookReadResult Read(ReadOnlySpan<byte> content, string? fileName)
    {
        if (content.Length > MaxBytes)
        {
            return Problem($"The file is {content.Length / (1024.0 * 1024):0.#} MiB; a notebook can be at most {MaxBytes / (1024 * 1024)} MiB.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            return Problem($"The file is not a notebook: it is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}).");
        }
        using (document)
        {
            return Read(document.RootElement, fileName);
        }
    }

    private static NotebookReadResult Read(JsonElement root, string? fileName)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nbformat", out var version))
        {
            return Problem("The file is JSON but not a Jupyter notebook: it has no \"nbformat\" version.");
        }
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var major) || major != 4)
        {
            return Problem($"Only nbformat 4 notebooks can be imported; this one is nbformat {version.GetRawText()}. Open and save it in a current Jupyter to upgrade it.");
        }
        if (!root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
        {
            return Problem("The notebook has no \"cells\" list.");
        }
        if (cells.GetArrayLength() == 0) return Problem("The notebook has no cells.");

        var metadata = root.TryGetProperty("metadata", out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
        var language = LanguageOf(metadata);
        var messages = new List<NotebookCell>();
        var number = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            number++;
            if (cell.ValueKind != JsonValueKind.Object) return Problem($"Cell {number} is not a JSON object.");
            var type = StringOf(cell, "cell_type");
            if (type is "raw") continue;
            if (type is not ("code" or "markdown")) return Problem($"Cell {number} has an unknown cell_type \"{type}\".");
            if (!TryReadSource(cell, out var source)) return Problem($"Cell {number} has no readable \"source\" (a string or a list of strings).");
            // A form sends nothing blank either; an empty cell is how notebooks end, not a message.
            if (string.IsNullOrWhiteSpace(source)) continue;
            var own = cell.TryGetProperty("metadata", out var cellMetadata) && cellMetadata.ValueKind == JsonValueKind.Object
                && cellMetadata.TryGetProperty(NotebookExporter.MetadataKey, out var ours) && ours.ValueKind == JsonValueKind.Object
                ? ours : default;
            messages.Add(type == "markdown"
                ? new NotebookCell(number, SnippetKind.Note, RunService.NoteLanguage, source, "")
                : new NotebookCell(
                    number, SnippetKind.Code, NotebookLanguages.FromNotebookName(StringOf(own, "language")) ?? language,
                    source, StringOf(own, "stdin") ?? ""));
        }
        if (messages.Count == 0) return Problem("The notebook has no code or Markdown cells with anything in them.");
        var title = StringOf(metadata, "title") is { } named && !string.IsNullOrWhiteSpace(named)
            ? named
            : TitleFromFileName(fileName);
        return new NotebookReadResult(new ReadNotebook(title.Trim(), language, messages), null);
    }

    /// <summary>The language the notebook's kernel runs: kernelspec, then language_info; Python when neither names one CodeChatter knows.</summary>
    private static string LanguageOf(JsonElement metadata)
    {
        var kernelspec = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("kernelspec", out var k) ? k : default;
        var languageInfo = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("language_info", out var l) ? l : default;
        return NotebookLanguages.FromNotebookName(StringOf(kernelspec, "language"))
            ?? NotebookLanguages.FromNotebookName(StringOf(languageInfo, "name"))
            ?? NotebookLanguages.FromNotebookName(StringOf(kernelspec, "name"))
            ?? NotebookLanguages.Fallback;
    }

    private static bool TryReadSource(JsonElement cell, out string source)
    {
        source = "";
        if (!cell.TryGetProperty("source", out var value)) return false;
        if (value.ValueKind == JsonValueKind.String)
        {
            source = value.GetString()!;
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var text = new StringBuilder();
            foreach (var line in value.EnumerateArray())
            {
                if (line.ValueKind != JsonValueKind.String) return false;
                text.Append(line.GetString());
            }
            source = text.ToString();
        }
        else
        {
            return false;
        }
        // Stored with Unix line endings, as the compose form stores what it sends.
        source = source.Replace("\r\n", "\n", StringComparison.Ordinal);
        return true;
    }

    private static string? StringOf(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string TitleFromFileName(string? fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName((fileName ?? "").Replace('\\', '/')));
        return string.IsNullOrWhiteSpace(stem) ? DefaultTitle : stem;
    }

    private static NotebookReadResult Problem(string message) => new(null, new NotebookProblem(message));
}

/// <summary>What reading a notebook gave: the notebook or the problem (exactly one is set).</summary>
public sealed record NotebookReadResult(ReadNotebook? Notebook, NotebookProblem? Problem);

/// <summary>A notebook read into messages.</summary>
/// <param name="Title">The title for the new conversation.</param>
/// <param name="Language">The kernel's language as a CodeChatter language id.</param>
/// <param name="Cells">The cells that become messages, in order.</param>
public sealed record ReadNotebook(string Title, string Language, IReadOnlyList<NotebookCell> Cells);

/// <summary>One cell that becomes a message.</summary>
/// <param name="Number">Its position among all the notebook's cells, from 1 (how errors name it).</param>
/// <param name="Kind">Code or a note.</param>
/// <param name="Language">The code's language id (<c>markdown</c> for a note).</param>
/// <param name="Text">The code or the Markdown text.</param>
/// <param name="Stdin">Standard input, from the cell's <c>codechatter</c> metadata; empty otherwise.</param>
public sealed record NotebookCell(int Number, SnippetKind Kind, string Language, string Text, string Stdin);

/// <summary>Why a notebook cannot be imported, in words for the person who uploaded it.</summary>
public sealed record NotebookProblem(string Message);
