using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Audit;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Identity's Login page, overridden for two rules the default lacks: failures count towards lockout,
/// and a disabled account is told so (only once its password is right, so the page never reveals
/// which accounts exist).
/// </summary>
[AllowAnonymous]
public class LoginModel(SignInManager<ChatUser> signInManager, IAuditLog audit, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string ReturnUrl { get; set; } = "/";

    [TempData]
    public string? ErrorMessage { get; set; }

    public class InputModel
    {
        [Required]
        [EmailAddress]
        public string Email { get; set; } = "";

        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Remember me?")]
        public bool RememberMe { get; set; }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        if (!string.IsNullOrEmpty(ErrorMessage))
        {
            ModelState.AddModelError(string.Empty, ErrorMessage);
        }
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        ReturnUrl = returnUrl ?? Url.Content("~/");
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl ?? Url.Content("~/");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signInManager.PasswordSignInAsync(Input.Email, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User signed in.");
            return LocalRedirect(ReturnUrl);
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Account locked out.");
            var user = await signInManager.UserManager.FindByNameAsync(Input.Email);
            await audit.RecordAsync(new AuditRecord(AuditActions.SignInLockedOut, null, user?.Id, Input.Email), HttpContext.RequestAborted);
            return RedirectToPage("./Lockout");
        }
        if (result.IsNotAllowed
            && await signInManager.UserManager.FindByNameAsync(Input.Email) is { IsDisabled: true } disabled
            && await signInManager.UserManager.CheckPasswordAsync(disabled, Input.Password))
        {
            ModelState.AddModelError(string.Empty, "This account has been disabled. Ask the admin of this instance.");
            return Page();
        }
        ModelState.AddModelError(string.Empty, "Invalid login attempt.");
        return Page();
    }
}
