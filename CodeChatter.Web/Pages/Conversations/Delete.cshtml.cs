using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>Asks first, then deletes a conversation with all its messages and runs.</summary>
public class DeleteModel(IConversationQueries conversations, ConversationService service) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public long Id { get; private set; }

    public string Title { get; private set; } = "";

    public int Messages { get; private set; }

    public int Runs { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var found = await conversations.FindSummaryAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (found is null) return NotFound();
        (Id, Title, Messages, Runs) = (id, found.Title, found.Messages, found.Runs);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        if (!await service.DeleteAsync(User.UserId(), id)) return NotFound();
        StatusMessage = "Conversation deleted.";
        return RedirectToPage("/Conversations/Index");
    }
}
