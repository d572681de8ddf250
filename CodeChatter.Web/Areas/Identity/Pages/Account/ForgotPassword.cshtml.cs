using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Identity's ForgotPassword page, overridden: no e-mail server is assumed, so instead of a form that would
/// send nothing, it says how a password is recovered here (the admin makes a one-time link).
/// </summary>
[AllowAnonymous]
public class ForgotPasswordModel : PageModel
{
    public void OnGet()
    {
    }

    public IActionResult OnPost() => RedirectToPage();
}
