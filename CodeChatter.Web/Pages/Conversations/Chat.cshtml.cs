using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>One conversation: the person's messages, the robot's replies, and the forms to send more.</summary>
public class ChatModel(ChatDbContext db, RunService runs, LanguageCatalog languages) : PageModel
{
    [BindProperty]
    public RunInput Input { get; set; } = new();

    [BindProperty]
    public NoteInput Note { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public Conversation Conversation { get; private set; } = null!;

    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (!await LoadAsync(id)) return NotFound();
        Input.Language = Conversation.DefaultLanguage;
        return Page();
    }

    public async Task<IActionResult> OnPostRunAsync(long id)
    {
        Input.UseUnixLineEndings();
        var problems = runs.Validate(SnippetKind.Code, Input.Language, Input.Code, Input.Stdin);
        if (problems.Count > 0)
        {
            AddErrors(problems, text: "Input.Code", language: "Input.Language", stdin: "Input.Stdin");
            return await LoadAsync(id) ? Page() : NotFound();
        }
        var outcome = await runs.SubmitAsync(new NewMessage(
            User.UserId(), id, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit));
        if (outcome is null) return NotFound();
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{outcome.Stored.ExecutionId}");
    }

    /// <summary>
    /// The compose form sent by the page's script: stores the message, starts the run and answers at once
    /// with JSON; the script then follows the run's live output.
    /// </summary>
    public async Task<IActionResult> OnPostStartAsync(long id)
    {
        Input.UseUnixLineEndings();
        var problems = runs.Validate(SnippetKind.Code, Input.Language, Input.Code, Input.Stdin);
        if (problems.Count > 0) return StartProblems.For(problems);
        var started = await runs.StartAsync(new NewMessage(
            User.UserId(), id, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit));
        if (started is null) return NotFound();
        var stored = started.Stored;
        var snippet = await db.Snippets.AsNoTracking().SingleAsync(s => s.Id == stored.SnippetId);
        var executionId = stored.ExecutionId!.Value;
        return new JsonResult(new StartedRunView(
            stored.ConversationId, snippet.Id, executionId, snippet.Sequence, snippet.Language,
            languages.All.FirstOrDefault(l => l.Id == snippet.Language)?.Definition.EditorMode ?? "",
            snippet.Code, snippet.Stdin, Format.Iso(snippet.CreatedAt), Format.Time(snippet.CreatedAt),
            Url.Page("/Conversations/Execution", "Events", new { id, executionId })!,
            Url.Page("/Conversations/Execution", "Stop", new { id, executionId })!));
    }

    public async Task<IActionResult> OnPostNoteAsync(long id)
    {
        var problems = runs.Validate(SnippetKind.Note, null, Note.Text, null);
        if (problems.Count > 0)
        {
            AddErrors(problems, text: "Note.Text", language: "Note.Text", stdin: "Note.Text");
            return await LoadAsync(id) ? Page() : NotFound();
        }
        var outcome = await runs.SubmitAsync(new NewMessage(
            User.UserId(), id, SnippetKind.Note, RunService.NoteLanguage, Note.Text!, "", ExecutionTrigger.Submit));
        if (outcome is null) return NotFound();
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"snippet-{outcome.Stored.SnippetId}");
    }

    public async Task<IActionResult> OnPostRerunAsync(long id, long snippetId)
    {
        // The snippet must be in this conversation as well as the person's own.
        if (!await db.Snippets.OwnedBy(User.UserId()).AnyAsync(s => s.Id == snippetId && s.ConversationId == id))
        {
            return NotFound();
        }
        var outcome = await runs.RerunSnippetAsync(User.UserId(), snippetId);
        if (outcome is null) return NotFound();
        StatusMessage = $"Re-ran message #{await SequenceOfAsync(snippetId)}: {(outcome.Changed ? "changed" : "same")} ({outcome.Result.Status.ToWireName()}).";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{outcome.ExecutionId}");
    }

    public async Task<IActionResult> OnPostRerunAllAsync(long id)
    {
        var outcomes = await runs.RerunConversationAsync(User.UserId(), id);
        if (outcomes is null) return NotFound();
        var changed = outcomes.Count(o => o.Changed);
        StatusMessage = outcomes.Count == 0
            ? "There is no code to re-run in this conversation."
            : $"Re-ran {outcomes.Count} {(outcomes.Count == 1 ? "snippet" : "snippets")}: {outcomes.Count - changed} same, {changed} changed.";
        return RedirectToPage("/Conversations/Chat", new { id });
    }

    private Task<int> SequenceOfAsync(long snippetId) =>
        db.Snippets.Where(s => s.Id == snippetId).Select(s => s.Sequence).SingleAsync();

    private void AddErrors(IReadOnlyDictionary<string, string> problems, string text, string language, string stdin)
    {
        foreach (var (field, message) in problems)
        {
            ModelState.AddModelError(field switch { "Language" => language, "Stdin" => stdin, _ => text }, message);
        }
    }

    private async Task<bool> LoadAsync(long id)
    {
        var conversation = await db.Conversations.OwnedBy(User.UserId()).AsNoTracking().SingleOrDefaultAsync(c => c.Id == id);
        if (conversation is null) return false;
        Conversation = conversation;
        var snippets = await db.Snippets.AsNoTracking()
            .Where(s => s.ConversationId == id)
            .Include(s => s.Executions)
            .OrderBy(s => s.Sequence)
            .ToListAsync();
        Messages = snippets.Select(MessageView.From).ToList();
        return true;
    }

    /// <summary>A message with its newest reply first and the older replies behind it.</summary>
    public sealed record MessageView(Snippet Snippet, ReplyView? Latest, IReadOnlyList<ReplyView> Older)
    {
        public static MessageView From(Snippet snippet)
        {
            var executions = snippet.Executions.OrderByDescending(e => e.Id).ToList();
            if (executions.Count == 0) return new MessageView(snippet, null, []);
            var replies = executions.Select((execution, index) => new ReplyView(
                snippet.ConversationId, execution,
                RerunComparison.Between(execution, executions.Skip(index + 1).FirstOrDefault(e => e.FinishedAt is not null))))
                .ToList();
            return new MessageView(snippet, replies[0], replies[1..]);
        }
    }

    /// <summary>The messages as <c>_Messages</c> renders them: with the forms to re-run, or read-only for an admin.</summary>
    public sealed record MessageList(long ConversationId, IReadOnlyList<MessageView> Messages, bool ReadOnly);

    /// <summary>A robot reply and, for a re-run, how it compares with the run before it.</summary>
    public sealed record ReplyView(long ConversationId, Execution Execution, RerunComparison? Comparison);
}

/// <summary>What the Start handler answers: the new message and where to follow and stop its run.</summary>
public sealed record StartedRunView(
    long ConversationId, long SnippetId, long ExecutionId, int Sequence, string Language, string EditorMode,
    string Code, string Stdin, string CreatedAt, string CreatedAtText, string EventsUrl, string StopUrl);

/// <summary>A refused Start: 400 with the problems keyed by form field, as the validation spans name them.</summary>
internal static class StartProblems
{
    public static IActionResult For(IReadOnlyDictionary<string, string> problems) => new BadRequestObjectResult(new
    {
        errors = problems.ToDictionary(pair => pair.Key == "Text" ? "Input.Code" : $"Input.{pair.Key}", pair => pair.Value),
    });
}

/// <summary>A re-run against the snippet's run before it: same or changed, and the line diffs when changed.</summary>
public sealed record RerunComparison(bool Changed, RunStatus PreviousStatus, IReadOnlyList<DiffLine>? StdoutDiff, IReadOnlyList<DiffLine>? StderrDiff)
{
    public string Word => Changed ? "changed" : "same";

    public static RerunComparison? Between(Execution run, Execution? previous)
    {
        if (previous is null || run.FinishedAt is null || run.Trigger is not (ExecutionTrigger.Rerun or ExecutionTrigger.ConversationRerun))
        {
            return null;
        }
        var now = new RunOutput(run.Status, run.Stdout, run.Stderr);
        var before = new RunOutput(previous.Status, previous.Stdout, previous.Stderr);
        if (!now.HasChangedSince(before)) return new RerunComparison(false, previous.Status, null, null);
        return new RerunComparison(
            true, previous.Status,
            previous.Stdout == run.Stdout ? null : LineDiff.Compute(previous.Stdout, run.Stdout),
            previous.Stderr == run.Stderr ? null : LineDiff.Compute(previous.Stderr, run.Stderr));
    }
}
