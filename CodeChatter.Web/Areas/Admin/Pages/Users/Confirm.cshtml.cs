using CodeChatter.Core.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>The confirmation step, without JavaScript, before an action that takes something away from a person.</summary>
public class ConfirmModel(IPeopleQueries people, UserAdministration administration) : PageModel
{
    public PersonDetails Person { get; private set; } = null!;

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
            ? await administration.DisableAsync(User.UserId(), id, HttpContext.RequestAborted)
            : await administration.RevokeAdminAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (result is null) return NotFound();
        TempData["StatusMessage"] = result.Message;
        return RedirectToPage("/Users/Details", new { id });
    }

    private async Task<bool> LoadAsync(string id, string change)
    {
        if (change is not ("disable" or "revoke-admin")) return false;
        if (await people.FindAsync(id, HttpContext.RequestAborted) is not { } person) return false;
        Person = person;
        Change = change;
        return true;
    }
}
