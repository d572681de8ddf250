using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat;
using CodeChatter.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Conversations;

public class RenameModel(ChatDbContext db) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public long Id { get; private set; }

    public class InputModel
    {
        [Required]
        [StringLength(200)]
        [Display(Name = "Title")]
        public string? Title { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var title = await db.Conversations.OwnedBy(User.UserId()).Where(c => c.Id == id).Select(c => c.Title).SingleOrDefaultAsync();
        if (title is null) return NotFound();
        Id = id;
        Input.Title = title;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        var conversation = await db.Conversations.OwnedBy(User.UserId()).SingleOrDefaultAsync(c => c.Id == id);
        if (conversation is null) return NotFound();
        Id = id;
        if (MessageText.NulProblem(Input.Title, "title") is { } nul) ModelState.AddModelError("Input.Title", nul);
        if (!ModelState.IsValid) return Page();
        conversation.Title = Input.Title!.Trim();
        conversation.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync();
        StatusMessage = "Conversation renamed.";
        return RedirectToPage("/Conversations/Chat", new { id });
    }
}
