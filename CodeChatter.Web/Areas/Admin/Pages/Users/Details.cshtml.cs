using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>
/// One person: their figures and the admin actions. Actions that take something away (disable, revoke
/// admin) go through the <see cref="ConfirmModel"/> page first; the others act at once.
/// </summary>
public class DetailsModel(UserManager<ChatUser> users, UserAdministration administration, ChatDbContext db, IOptions<QuotaOptions> quotas) : PageModel
{
    [BindProperty]
    public QuotaInput Quota { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public ChatUser Person { get; private set; } = null!;

    public bool IsAdmin { get; private set; }

    public int Runs { get; private set; }

    public int DefaultDailyRuns => quotas.Value.DefaultDailyRuns;

    public class QuotaInput
    {
        [Range(0, 10_000_000)]
        [Display(Name = "Daily run quota (blank for the instance default)")]
        public int? DailyRunQuota { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id)) return NotFound();
        Quota.DailyRunQuota = Person.DailyRunQuota;
        return Page();
    }

    public Task<IActionResult> OnPostEnableAsync(string id) => ActAsync(id, person => administration.EnableAsync(User.UserId(), person));

    public Task<IActionResult> OnPostGrantAdminAsync(string id) => ActAsync(id, person => administration.GrantAdminAsync(User.UserId(), person));

    public async Task<IActionResult> OnPostQuotaAsync(string id)
    {
        if (!ModelState.IsValid)
        {
            return await LoadAsync(id) ? Page() : NotFound();
        }
        return await ActAsync(id, person => administration.SetDailyQuotaAsync(User.UserId(), person, Quota.DailyRunQuota));
    }

    private async Task<IActionResult> ActAsync(string id, Func<ChatUser, Task<AdminActionResult>> action)
    {
        var person = await users.FindByIdAsync(id);
        if (person is null) return NotFound();
        StatusMessage = (await action(person)).Message;
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(string id)
    {
        var person = await users.FindByIdAsync(id);
        if (person is null) return false;
        Person = person;
        IsAdmin = await users.IsInRoleAsync(person, Roles.Admin);
        Runs = await db.Executions.OwnedBy(id).CountAsync();
        return true;
    }
}
