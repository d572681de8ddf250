using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>The confirmation step, without JavaScript, before an action that takes something away from a person.</summary>
public class ConfirmModel(UserManager<ChatUser> users, UserAdministration administration) : PageModel
{
    public ChatUser Person { get; private set; } = null!;

    public string Change { get; private set; } = "";

    public string Question => Change == "disable"
        ? $"Disable {Person.Email}? They are signed out at once, their API tokens stop working, and they cannot run code until enabled again."
        : $"Revoke admin from {Person.Email}? They lose access to the admin area.";

    public string ButtonText => Change == "disable" ? "Disable" : "Revoke admin";

    public async Task<IActionResult> OnGetAsync(string id, string change) =>
        await LoadAsync(id, change) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string id, string change)
    {
        if (!await LoadAsync(id, change)) return NotFound();
        var result = Change == "disable"
            ? await administration.DisableAsync(User.UserId(), Person)
            : await administration.RevokeAdminAsync(User.UserId(), Person);
        TempData["StatusMessage"] = result.Message;
        return RedirectToPage("/Users/Details", new { id });
    }

    private async Task<bool> LoadAsync(string id, string change)
    {
        if (change is not ("disable" or "revoke-admin")) return false;
        var person = await users.FindByIdAsync(id);
        if (person is null) return false;
        Person = person;
        Change = change;
        return true;
    }
}
