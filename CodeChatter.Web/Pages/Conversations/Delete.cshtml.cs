using CodeChatter.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>Asks first, then deletes a conversation with all its messages and runs.</summary>
public class DeleteModel(ChatDbContext db) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public long Id { get; private set; }

    public string Title { get; private set; } = "";

    public int Messages { get; private set; }

    public int Runs { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var found = await db.Conversations.OwnedBy(User.UserId()).Where(c => c.Id == id)
            .Select(c => new { c.Title, Messages = c.Snippets.Count, Runs = c.Snippets.SelectMany(s => s.Executions).Count() })
            .SingleOrDefaultAsync();
        if (found is null) return NotFound();
        (Id, Title, Messages, Runs) = (id, found.Title, found.Messages, found.Runs);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        // Snippets and runs go with it: the foreign keys cascade.
        var deleted = await db.Conversations.OwnedBy(User.UserId()).Where(c => c.Id == id).ExecuteDeleteAsync();
        if (deleted == 0) return NotFound();
        StatusMessage = "Conversation deleted.";
        return RedirectToPage("/Conversations/Index");
    }
}
