using CodeChatter.Core.Chat.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Conversations;

/// <summary>Anyone's conversation, read-only: what an admin opens from the runs list. Nothing here can run or change it.</summary>
public class ViewModel(IConversationQueries conversations) : PageModel
{
    public ConversationView Conversation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var conversation = await conversations.FindAnyoneAsync(id, HttpContext.RequestAborted);
        if (conversation is null) return NotFound();
        Conversation = conversation;
        return Page();
    }
}
