using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Identity.Pages.Account.Manage;

/// <summary>Identity's Manage page, overridden: who is signed in and where to change things; no phone number.</summary>
public class IndexModel(UserManager<ChatUser> users) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public string? Email { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user) return NotFound();
        Email = user.Email;
        CreatedAt = user.CreatedAt;
        return Page();
    }
}
