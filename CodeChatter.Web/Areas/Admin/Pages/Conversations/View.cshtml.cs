using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Pages.Conversations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Areas.Admin.Pages.Conversations;

/// <summary>Anyone's conversation, read-only: what an admin opens from the runs list. Nothing here can run or change it.</summary>
public class ViewModel(ChatDbContext db) : PageModel
{
    public Conversation Conversation { get; private set; } = null!;

    public string OwnerEmail { get; private set; } = "";

    public IReadOnlyList<ChatModel.MessageView> Messages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var conversation = await db.Conversations.AsNoTracking().Include(c => c.Owner).SingleOrDefaultAsync(c => c.Id == id);
        if (conversation is null) return NotFound();
        Conversation = conversation;
        OwnerEmail = conversation.Owner?.Email ?? conversation.OwnerId;
        var snippets = await db.Snippets.AsNoTracking()
            .Where(s => s.ConversationId == id)
            .Include(s => s.Executions)
            .OrderBy(s => s.Sequence)
            .ToListAsync();
        Messages = snippets.Select(ChatModel.MessageView.From).ToList();
        return Page();
    }
}
