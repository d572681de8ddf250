using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>Changes or deletes one of the person's notes. Code snippets are never edited: they are sent again as new messages.</summary>
public class EditNoteModel(IConversationQueries conversations, ConversationService service, RunService runs) : PageModel
{
    [BindProperty]
    public NoteInput Note { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public long Id { get; private set; }

    public long SnippetId { get; private set; }

    public int Sequence { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, long snippetId)
    {
        var note = await FindNoteAsync(id, snippetId);
        if (note is null) return NotFound();
        Note.Text = note.Code;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, long snippetId)
    {
        if (await FindNoteAsync(id, snippetId) is null) return NotFound();
        foreach (var (_, problem) in runs.Validate(SnippetKind.Note, null, Note.Text, null))
        {
            ModelState.AddModelError("Note.Text", problem);
        }
        if (!ModelState.IsValid) return Page();
        if (!await service.EditNoteAsync(User.UserId(), snippetId, Note.Text!.Replace("\r\n", "\n", StringComparison.Ordinal))) return NotFound();
        StatusMessage = "Note saved.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"snippet-{snippetId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, long snippetId)
    {
        if (await FindNoteAsync(id, snippetId) is null) return NotFound();
        if (!await service.DeleteNoteAsync(User.UserId(), snippetId)) return NotFound();
        StatusMessage = "Note deleted.";
        return RedirectToPage("/Conversations/Chat", new { id });
    }

    // The note must be the person's own and in this conversation; code is never edited here.
    private async Task<MessageView?> FindNoteAsync(long id, long snippetId)
    {
        var message = await conversations.FindMessageAsync(User.UserId(), snippetId, HttpContext.RequestAborted);
        if (message is null || message.ConversationId != id || message.Kind != SnippetKind.Note) return null;
        Id = id;
        SnippetId = snippetId;
        Sequence = message.Sequence;
        return message;
    }
}
