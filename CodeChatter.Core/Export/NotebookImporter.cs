using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Export;

/// <summary>
/// Turns an uploaded notebook into a new conversation of that person's, with nothing run: its code cells
/// become snippets waiting for Run or Re-run all, its Markdown cells notes (rendered through the notes'
/// sanitizer like every note, so raw HTML in them arrives inert). Every cell passes the same rules as a
/// typed message (<see cref="RunService.Validate"/>), and a cell that does not is named in the refusal.
/// </summary>
public sealed class NotebookImporter(IConversationImportStore store, RunService runs, LanguageCatalog languages, TimeProvider clock)
{
    private const int MaxTitleLength = 200;

    /// <summary>The new conversation's id, or the problem that stopped the import (nothing is stored then).</summary>
    /// <param name="userId">Whose conversation it becomes.</param>
    /// <param name="content">The uploaded file's bytes.</param>
    /// <param name="fileName">The uploaded file's name (the title when the notebook names none).</param>
    /// <param name="cancellationToken">Stops storing.</param>
    public async Task<NotebookImportResult> ImportAsync(string userId, byte[] content, string? fileName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(content);
        var read = NotebookReader.Read(content, fileName);
        if (read.Problem is { } problem) return new NotebookImportResult(null, problem);
        var notebook = read.Notebook!;

        var messages = new List<ImportedMessage>(notebook.Cells.Count);
        foreach (var cell in notebook.Cells)
        {
            var language = cell.Kind == SnippetKind.Code && languages.TryGetAvailable(cell.Language, out var available)
                ? available.Id
                : cell.Language;
            var problems = runs.Validate(cell.Kind, language, cell.Text, cell.Stdin);
            if (problems.Count > 0)
            {
                var what = cell.Kind == SnippetKind.Code ? "code" : "Markdown";
                return Refused($"Cell {cell.Number} ({what}): {string.Join(" ", problems.Values)}");
            }
            messages.Add(new ImportedMessage(cell.Kind, language, cell.Text, cell.Stdin));
        }
        var title = notebook.Title.Length > MaxTitleLength ? notebook.Title[..MaxTitleLength].TrimEnd() : notebook.Title;
        if (MessageText.NulProblem(title, "title") is { } nul) return Refused(nul);

        var conversationId = await store.CreateAsync(
            new ImportedConversation(userId, title, notebook.Language, ConversationModes.Default, clock.GetUtcNow().UtcDateTime, messages),
            cancellationToken);
        return new NotebookImportResult(conversationId, null);
    }

    private static NotebookImportResult Refused(string message) => new(null, new NotebookProblem(message));
}

/// <summary>What an import gave: the new conversation or the problem (exactly one is set).</summary>
public sealed record NotebookImportResult(long? ConversationId, NotebookProblem? Problem);

/// <summary>Where imported conversations are stored.</summary>
public interface IConversationImportStore
{
    /// <summary>
    /// Stores a new conversation with all its messages, and no runs, in one transaction: an import is there
    /// whole or not at all.
    /// </summary>
    /// <returns>The new conversation's id.</returns>
    Task<long> CreateAsync(ImportedConversation conversation, CancellationToken cancellationToken = default);
}

/// <summary>A conversation to store from an imported notebook.</summary>
/// <param name="OwnerId">Whose it is.</param>
/// <param name="Title">Its title.</param>
/// <param name="DefaultLanguage">The notebook's language: what the compose box starts with.</param>
/// <param name="Mode">How its snippets run once someone runs them.</param>
/// <param name="At">When it was imported (UTC).</param>
/// <param name="Messages">Its messages, in order, already checked.</param>
public sealed record ImportedConversation(
    string OwnerId, string Title, string DefaultLanguage, ConversationMode Mode, DateTime At, IReadOnlyList<ImportedMessage> Messages);

/// <summary>One message of an imported conversation.</summary>
/// <param name="Kind">Code or a note.</param>
/// <param name="Language">The code's language id, or <c>markdown</c> for a note.</param>
/// <param name="Text">The code or the Markdown text.</param>
/// <param name="Stdin">Standard input of code.</param>
public sealed record ImportedMessage(SnippetKind Kind, string Language, string Text, string Stdin);
