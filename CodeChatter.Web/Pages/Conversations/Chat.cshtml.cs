using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>One conversation: the person's messages, the robot's replies, its attached files, and the forms to send more.</summary>
[AttachmentUploadLimit]
public class ChatModel(
    IConversationQueries conversations, IRunQueries runQueries, RunService runs, SessionService sessions, LiveRuns liveRuns,
    IRunsElsewhere runsElsewhere, LanguageCatalog languages, AttachmentService attachments) : PageModel
{
    [BindProperty]
    public RunInput Input { get; set; } = new();

    [BindProperty]
    public NoteInput Note { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public ConversationView Conversation { get; private set; } = null!;

    /// <summary>How the conversation runs its messages and what of its session is live.</summary>
    public SessionPanel Panel { get; private set; } = null!;

    /// <summary>The files attached to the conversation, which every message finds under <c>inputs/</c>.</summary>
    public AttachmentList Attachments { get; private set; } = null!;

    /// <summary>
    /// How many conversations the side list shows: the most recently active. A person who runs snippets through
    /// the API has thousands, and listing them all made the page slow and large; the rest are a search or a page away.
    /// </summary>
    public const int SideListSize = 30;

    /// <summary>The person's most recently active conversations for the side list, filtered by <see cref="Filter"/>.</summary>
    public RecentConversations SideList { get; private set; } = new([], 0);

    /// <summary>Part of a title the side list is filtered by (the filter's form without script).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Filter { get; set; }

    /// <summary>
    /// How many of the newest messages the page draws unless <see cref="ShowAll"/>: a long conversation
    /// opens as quickly as a short one, and earlier messages are one link away, as in a chat app.
    /// </summary>
    public const int NewestMessagesShown = 100;

    /// <summary>Draw every message (<c>?all=true</c>): the link to earlier messages, and links to one particular old run.</summary>
    [BindProperty(SupportsGet = true, Name = "all")]
    public bool ShowAll { get; set; }

    /// <summary>How many earlier messages the page leaves out.</summary>
    public int EarlierMessages => ShowAll ? 0 : Math.Max(0, Conversation.Messages.Count - NewestMessagesShown);

    /// <summary>The messages the page draws: the newest <see cref="NewestMessagesShown"/>, or all of them.</summary>
    public IReadOnlyList<MessageView> ShownMessages =>
        EarlierMessages == 0 ? Conversation.Messages : Conversation.Messages.Skip(EarlierMessages).ToList();

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

    /// <summary>The session panel as <c>_SessionPanel</c> draws it: what the page's script swaps in after each run.</summary>
    public async Task<IActionResult> OnGetSessionPanelAsync(long id)
    {
        var panel = await sessions.GetPanelAsync(User.UserId(), id, HttpContext.RequestAborted);
        return panel is null ? NotFound() : Partial("_SessionPanel", panel);
    }

    /// <summary>The panel's Restart: ends the conversation's live sessions; the next message starts from nothing.</summary>
    public async Task<IActionResult> OnPostRestartAsync(long id)
    {
        var ended = await sessions.RestartAsync(User.UserId(), id);
        if (ended is null) return NotFound();
        StatusMessage = ended == 0
            ? "No session was running: the next message starts one."
            : "Restarted: the session and its state are gone, and the next message starts a new one.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, "session-panel");
    }

    /// <summary>The panel's mode switch (<c>session</c> or <c>fresh</c>); a change ends the live sessions.</summary>
    public async Task<IActionResult> OnPostModeAsync(long id, string? mode)
    {
        if (!ConversationModes.TryParse(mode, out var chosen)) return BadRequest();
        if (!await sessions.SetModeAsync(User.UserId(), id, chosen)) return NotFound();
        StatusMessage = chosen == ConversationMode.Session
            ? "Messages from now on keep their state in a live session."
            : "Each message from now on runs in a fresh sandbox.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, "session-panel");
    }

    /// <summary>
    /// A line typed into a run in flight (with <paramref name="end"/>, then end of its input, as Ctrl+D). The
    /// page's script posts it and echoes the line; without script the form posts and the page comes back.
    /// Not found unless the run is this person's, in this conversation, and still takes input.
    /// </summary>
    public async Task<IActionResult> OnPostInputAsync(long id, long executionId, string? text, bool end = false)
    {
        var userId = User.UserId();
        if (!await runQueries.IsOwnedAsync(userId, id, executionId, HttpContext.RequestAborted)) return NotFound();
        var live = liveRuns.Find(executionId, userId);
        if (live is null && runsElsewhere.Exists && (await runQueries.FindAsync(userId, executionId, HttpContext.RequestAborted))?.IsRunning == true)
        {
            // Queued by another web instance of a cluster: the runner that has it takes the line.
            var forwarded = await runsElsewhere.SendInputAsync(executionId, end && string.IsNullOrEmpty(text) ? "" : NormalizedLine(text) + "\n", end);
            if (WantsJson()) return new JsonResult(new { accepted = forwarded, ended = end });
            return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{executionId}");
        }
        if (live?.Input is null || live.Result is not null || live.Input.HasEnded) return NotFound();
        var line = NormalizedLine(text);
        // Enter on an empty field is an empty line; End input with nothing typed only ends the input.
        var accepted = (end && string.IsNullOrEmpty(line)) || live.SendInput(line + "\n");
        if (end) live.EndInput();
        if (WantsJson()) return new JsonResult(new { accepted, ended = end });
        if (!accepted) StatusMessage = "The run took no more input.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{executionId}");
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
            userId, id, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit) { Interactive = true });
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
    /// <paramref name="all"/> it is one step of re-running the whole conversation, which the script walks through;
    /// its <paramref name="first"/> step restarts a session conversation's sessions, so the replay starts from
    /// nothing as the form's Re-run all does. A single re-run takes typed input; a step of Re-run all reads only
    /// its standard input, so the replay never waits for someone to type.
    /// </summary>
    public async Task<IActionResult> OnPostRerunStartAsync(long id, long snippetId, bool all = false, bool first = false)
    {
        var userId = User.UserId();
        var message = await conversations.FindMessageAsync(userId, snippetId, HttpContext.RequestAborted);
        if (message is null || message.ConversationId != id || message.Kind != SnippetKind.Code) return NotFound();
        var started = await runs.StartRerunAsync(
            userId, snippetId, all ? ExecutionTrigger.ConversationRerun : ExecutionTrigger.Rerun, restartSession: all && first, interactive: !all);
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

    /// <summary>
    /// The attachments' upload form (multipart, so it works without script): stores the file, or says why not.
    /// Its size is capped before this runs (<see cref="AttachmentUploadLimitAttribute"/>).
    /// </summary>
    public async Task<IActionResult> OnPostAttachAsync(long id, IFormFile? file)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            if (!await OwnsAsync(id)) return NotFound();
            StatusMessage = "Choose a file to attach.";
            return RedirectToAttachments(id);
        }
        await using var content = file.OpenReadStream();
        var outcome = await attachments.AttachAsync(User.UserId(), id, file.FileName, content, HttpContext.RequestAborted);
        switch (outcome)
        {
            case AttachOutcome.Attached(var attached, var replaced):
                StatusMessage = $"{(replaced ? "Replaced" : "Attached")} {attached.Name} ({AttachmentService.Size(attached.Size)}): " +
                    $"messages read it from inputs/{attached.Name}, and a live session sees it from its next message.";
                break;
            case AttachOutcome.Refused(var reason):
                StatusMessage = $"Nothing was attached: {reason}";
                break;
            default:
                return NotFound();
        }
        return RedirectToAttachments(id);
    }

    /// <summary>One attachment's Remove form.</summary>
    public async Task<IActionResult> OnPostRemoveAttachmentAsync(long id, long attachmentId)
    {
        var userId = User.UserId();
        var listed = await attachments.ListAsync(userId, id, HttpContext.RequestAborted);
        var attachment = listed?.FirstOrDefault(a => a.Id == attachmentId);
        if (attachment is null || !await attachments.RemoveAsync(userId, id, attachmentId, HttpContext.RequestAborted)) return NotFound();
        StatusMessage = $"Removed {attachment.Name}: messages from now on no longer find inputs/{attachment.Name}, a live session's included.";
        return RedirectToAttachments(id);
    }

    private RedirectToPageResult RedirectToAttachments(long id) => RedirectToPage("/Conversations/Chat", null, new { id }, "attachments");

    private async Task<bool> OwnsAsync(long id) => await attachments.ListAsync(User.UserId(), id, HttpContext.RequestAborted) is not null;

    // A form sends CRLF for a line break; the run reads lines as a terminal gives them.
    private static string NormalizedLine(string? text) =>
        (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private bool WantsJson() =>
        Request.Headers.Accept.Any(accept => accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

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
        Panel = (await sessions.GetPanelAsync(userId, id, HttpContext.RequestAborted))!;
        Attachments = new AttachmentList(id, await attachments.ListAsync(userId, id, HttpContext.RequestAborted) ?? [], attachments.Limits);
        SideList = await conversations.ListRecentAsync(userId, Filter, SideListSize, HttpContext.RequestAborted);
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
