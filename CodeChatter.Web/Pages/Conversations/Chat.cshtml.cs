using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>One conversation: the person's messages, the robot's replies, and the forms to send more.</summary>
public class ChatModel(IConversationQueries conversations, RunService runs, LanguageCatalog languages) : PageModel
{
    [BindProperty]
    public RunInput Input { get; set; } = new();

    [BindProperty]
    public NoteInput Note { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public ConversationView Conversation { get; private set; } = null!;

    /// <summary>The person's conversations for the side list, most recently active first, filtered by <see cref="Filter"/>.</summary>
    public IReadOnlyList<ConversationSummary> SideList { get; private set; } = [];

    /// <summary>Part of a title the side list is filtered by (the filter's form without script).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Filter { get; set; }

    /// <param name="id">The conversation.</param>
    /// <param name="edit">A sent snippet of this conversation to load into the compose form ("Edit as new message").</param>
    public async Task<IActionResult> OnGetAsync(long id, long? edit)
    {
        if (!await LoadAsync(id)) return NotFound();
        Input.Language = Conversation.DefaultLanguage;
        if (edit is { } snippetId)
        {
            var message = Conversation.Messages.FirstOrDefault(m => m.SnippetId == snippetId && m.Kind == SnippetKind.Code);
            if (message is null) return NotFound();
            Input.Language = message.Language;
            Input.Code = message.Code;
            Input.Stdin = message.Stdin;
        }
        return Page();
    }

    /// <summary>One message as <c>_Messages</c> draws it: what the page's script appends after Start.</summary>
    public async Task<IActionResult> OnGetMessageAsync(long id, long snippetId)
    {
        var message = await conversations.FindMessageAsync(User.UserId(), snippetId, HttpContext.RequestAborted);
        if (message is null || message.ConversationId != id) return NotFound();
        return Partial("_Messages", new MessageList(id, [message], ReadOnly: false));
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
    /// with JSON; the script then fetches the message as the server draws it and follows the run's live output.
    /// </summary>
    public async Task<IActionResult> OnPostStartAsync(long id)
    {
        Input.UseUnixLineEndings();
        var problems = runs.Validate(SnippetKind.Code, Input.Language, Input.Code, Input.Stdin);
        if (problems.Count > 0) return StartProblems.For(problems);
        var userId = User.UserId();
        var started = await runs.StartAsync(new NewMessage(
            userId, id, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit));
        if (started is null) return NotFound();
        var stored = started.Stored;
        var message = await conversations.FindMessageAsync(userId, stored.SnippetId);
        var executionId = stored.ExecutionId!.Value;
        return new JsonResult(new StartedRunView(
            stored.ConversationId, message!.SnippetId, executionId, message.Sequence, message.Language,
            languages.All.FirstOrDefault(l => l.Id == message.Language)?.Definition.EditorMode ?? "",
            message.Code, message.Stdin, Format.Iso(message.CreatedAt), Format.Time(message.CreatedAt),
            Url.Page("/Conversations/Execution", "Events", new { id, executionId })!,
            Url.Page("/Conversations/Execution", "Stop", new { id, executionId })!,
            Url.Page("/Conversations/Chat", "Message", new { id, snippetId = message.SnippetId })!));
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
        var message = await conversations.FindMessageAsync(User.UserId(), snippetId, HttpContext.RequestAborted);
        if (message is null || message.ConversationId != id) return NotFound();
        var outcome = await runs.RerunSnippetAsync(User.UserId(), snippetId);
        if (outcome is null) return NotFound();
        StatusMessage = $"Re-ran message #{message.Sequence}: {(outcome.Changed ? "changed" : "same")} ({outcome.Result.Status.ToWireName()}).";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{outcome.ExecutionId}");
    }

    /// <summary>
    /// A re-run started by the page's script: starts it and answers at once with JSON, as <see cref="OnPostStartAsync"/>
    /// does; the script swaps in the message as the server draws it and follows the run's live output. With
    /// <paramref name="all"/> it is one step of re-running the whole conversation, which the script walks through.
    /// </summary>
    public async Task<IActionResult> OnPostRerunStartAsync(long id, long snippetId, bool all = false)
    {
        var userId = User.UserId();
        var message = await conversations.FindMessageAsync(userId, snippetId, HttpContext.RequestAborted);
        if (message is null || message.ConversationId != id || message.Kind != SnippetKind.Code) return NotFound();
        var started = await runs.StartRerunAsync(userId, snippetId, all ? ExecutionTrigger.ConversationRerun : ExecutionTrigger.Rerun);
        if (started is null) return NotFound();
        var executionId = started.ExecutionId;
        return new JsonResult(new StartedRerunView(
            id, snippetId, executionId, message.Sequence,
            Url.Page("/Conversations/Execution", "Events", new { id, executionId })!,
            Url.Page("/Conversations/Execution", "Stop", new { id, executionId })!,
            Url.Page("/Conversations/Chat", "Message", new { id, snippetId })!));
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

    private void AddErrors(IReadOnlyDictionary<string, string> problems, string text, string language, string stdin)
    {
        foreach (var (field, message) in problems)
        {
            ModelState.AddModelError(field switch { "Language" => language, "Stdin" => stdin, _ => text }, message);
        }
    }

    private async Task<bool> LoadAsync(long id)
    {
        var userId = User.UserId();
        var conversation = await conversations.FindOwnedAsync(userId, id, HttpContext.RequestAborted);
        if (conversation is null) return false;
        Conversation = conversation;
        var all = await conversations.ListAllAsync(userId, HttpContext.RequestAborted);
        SideList = string.IsNullOrWhiteSpace(Filter)
            ? all
            : all.Where(c => c.Title.Contains(Filter.Trim(), StringComparison.CurrentCultureIgnoreCase)).ToList();
        return true;
    }
}

/// <summary>What the Start handler answers: the new message, where to fetch it drawn, and where to follow and stop its run.</summary>
public sealed record StartedRunView(
    long ConversationId, long SnippetId, long ExecutionId, int Sequence, string Language, string EditorMode,
    string Code, string Stdin, string CreatedAt, string CreatedAtText, string EventsUrl, string StopUrl, string MessageUrl);

/// <summary>What the RerunStart handler answers: the new run, where to follow and stop it, and where to fetch its message drawn.</summary>
public sealed record StartedRerunView(
    long ConversationId, long SnippetId, long ExecutionId, int Sequence, string EventsUrl, string StopUrl, string MessageUrl);

/// <summary>A refused Start: 400 with the problems keyed by form field, as the validation spans name them.</summary>
internal static class StartProblems
{
    public static IActionResult For(IReadOnlyDictionary<string, string> problems) => new BadRequestObjectResult(new
    {
        errors = problems.ToDictionary(pair => pair.Key == "Text" ? "Input.Code" : $"Input.{pair.Key}", pair => pair.Value),
    });
}
