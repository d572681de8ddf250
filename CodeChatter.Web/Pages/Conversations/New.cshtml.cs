using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>Starts a conversation with its first snippet, which runs at once.</summary>
public class NewModel(RunService runs) : PageModel
{
    [BindProperty]
    public RunInput Input { get; set; } = new() { Language = "python" };

    [BindProperty]
    [Display(Name = "Title (optional)")]
    [StringLength(200)]
    public string? Title { get; set; }

    /// <summary>How the new conversation runs its snippets: <c>session</c> (the default) or <c>fresh</c>.</summary>
    [BindProperty]
    public string Mode { get; set; } = ConversationModes.Default.ToWire();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Input.UseUnixLineEndings();
        foreach (var (field, message) in runs.Validate(SnippetKind.Code, Input.Language, Input.Code, Input.Stdin))
        {
            ModelState.AddModelError(field == "Text" ? "Input.Code" : $"Input.{field}", message);
        }
        if (MessageText.NulProblem(Title, "title") is { } title) ModelState.AddModelError(nameof(Title), title);
        var mode = ChosenMode();
        if (!ModelState.IsValid) return Page();

        var outcome = await runs.SubmitAsync(new NewMessage(
            User.UserId(), null, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit) { Title = Title, Mode = mode });
        // A new conversation is always the person's own.
        var stored = outcome!.Stored;
        return RedirectToPage("/Conversations/Chat", null, new { id = stored.ConversationId }, $"execution-{stored.ExecutionId}");
    }

    /// <summary>
    /// The form sent by the page's script: starts the run without waiting for it and answers with the
    /// conversation's address, where the script goes to watch the run's live output.
    /// </summary>
    public async Task<IActionResult> OnPostStartAsync()
    {
        Input.UseUnixLineEndings();
        var problems = runs.Validate(SnippetKind.Code, Input.Language, Input.Code, Input.Stdin);
        if (problems.Count > 0) return StartProblems.For(problems);
        if (MessageText.NulProblem(Title, "title") is { } title) ModelState.AddModelError(nameof(Title), title);
        var mode = ChosenMode();
        if (!ModelState.IsValid)
        {
            return BadRequest(new { errors = ModelState.Where(e => e.Value!.Errors.Count > 0).ToDictionary(e => e.Key, e => e.Value!.Errors[0].ErrorMessage) });
        }
        var started = await runs.StartAsync(new NewMessage(
            User.UserId(), null, SnippetKind.Code, Input.Language!, Input.Code!, Input.Stdin ?? "", ExecutionTrigger.Submit) { Title = Title, Mode = mode, Interactive = true });
        var stored = started!.Stored;
        return new JsonResult(new
        {
            stored.ConversationId,
            stored.ExecutionId,
            url = Url.Page("/Conversations/Chat", null, new { id = stored.ConversationId }, null, null, $"execution-{stored.ExecutionId}"),
        });
    }

    private ConversationMode ChosenMode()
    {
        if (ConversationModes.TryParse(Mode, out var mode)) return mode;
        ModelState.AddModelError(nameof(Mode), "Choose how the conversation runs its messages.");
        return ConversationModes.Default;
    }
}
