using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

public class RenameModel(IConversationQueries conversations, ConversationService service) : PageModel
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
        var found = await conversations.FindSummaryAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (found is null) return NotFound();
        Id = id;
        Input.Title = found.Title;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        if (await conversations.FindSummaryAsync(User.UserId(), id, HttpContext.RequestAborted) is null) return NotFound();
        Id = id;
        if (MessageText.NulProblem(Input.Title, "title") is { } nul) ModelState.AddModelError("Input.Title", nul);
        if (!ModelState.IsValid) return Page();
        if (!await service.RenameAsync(User.UserId(), id, Input.Title!)) return NotFound();
        StatusMessage = "Conversation renamed.";
        return RedirectToPage("/Conversations/Chat", new { id });
    }
}
