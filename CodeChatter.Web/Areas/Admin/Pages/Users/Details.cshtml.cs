using System.ComponentModel.DataAnnotations;
using System.Text;
using CodeChatter.Core.Admin;
using CodeChatter.Core.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>
/// One person: their figures and the admin actions. Actions that take something away (disable, revoke
/// admin) go through the <see cref="ConfirmModel"/> page first; the others act at once.
/// </summary>
public class DetailsModel(IPeopleQueries people, UserAdministration administration, IOptions<QuotaOptions> quotas) : PageModel
{
    [BindProperty]
    public QuotaInput Quota { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public PersonDetails Person { get; private set; } = null!;

    /// <summary>The one-time sign-in link just made; only ever set on the response to the POST that made it.</summary>
    public string? ResetLink { get; private set; }

    public bool IsAdmin => Person.IsAdmin;

    public int Runs => Person.Runs;

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

    public Task<IActionResult> OnPostEnableAsync(string id) => ActAsync(id, administration.EnableAsync(User.UserId(), id, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostGrantAdminAsync(string id) => ActAsync(id, administration.GrantAdminAsync(User.UserId(), id, HttpContext.RequestAborted));

    public async Task<IActionResult> OnPostResetPasswordAsync(string id)
    {
        if (await administration.CreatePasswordResetAsync(User.UserId(), id, HttpContext.RequestAborted) is not { } issued) return NotFound();
        // Not post/redirect/get, as with API tokens: the link is as good as a password until it is used, so it
        // is shown on this response only and never kept (TempData would put it in a cookie).
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(issued.Token));
        ResetLink = Url.Page("/Account/ResetPassword", pageHandler: null, values: new { area = "Identity", userId = issued.PersonId, code }, protocol: Request.Scheme);
        if (!await LoadAsync(id)) return NotFound();
        Quota.DailyRunQuota = Person.DailyRunQuota;
        return Page();
    }

    public async Task<IActionResult> OnPostQuotaAsync(string id)
    {
        if (!ModelState.IsValid)
        {
            return await LoadAsync(id) ? Page() : NotFound();
        }
        return await ActAsync(id, administration.SetDailyQuotaAsync(User.UserId(), id, Quota.DailyRunQuota, HttpContext.RequestAborted));
    }

    private async Task<IActionResult> ActAsync(string id, Task<AdminActionResult?> action)
    {
        if (await action is not { } result) return NotFound();
        StatusMessage = result.Message;
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(string id)
    {
        if (await people.FindAsync(id, HttpContext.RequestAborted) is not { } person) return false;
        Person = person;
        return true;
    }
}
