using System.ComponentModel.DataAnnotations;
using System.Text;
using CodeChatter.Core.Audit;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace CodeChatter.Web.Areas.Identity.Pages.Account;

/// <summary>
/// Identity's ResetPassword page, overridden for the one-time link an admin makes (no e-mail server is
/// assumed): the link names the person, so they only choose a new password, and are signed in with it.
/// Setting the password changes the security stamp the token was made from, so the link works once; it also
/// expires with Identity's token lifetime.
/// </summary>
[AllowAnonymous]
public class ResetPasswordModel(UserManager<ChatUser> users, SignInManager<ChatUser> signInManager, IAuditLog audit) : PageModel
{
    public const string LinkNotValid = "This link has expired or has already been used. Ask the admin of this instance for a new one.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? Email { get; private set; }

    public class InputModel
    {
        [Required]
        public string UserId { get; set; } = "";

        [Required]
        public string Code { get; set; } = "";

        [Required]
        [StringLength(100, ErrorMessage = "The {0} must be at least {2} and at most {1} characters long.", MinimumLength = 6)]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string Password { get; set; } = "";

        [DataType(DataType.Password)]
        [Display(Name = "Confirm the new password")]
        [Compare(nameof(Password), ErrorMessage = "The two passwords do not match.")]
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(string? userId = null, string? code = null)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code) || await users.FindByIdAsync(userId) is not { } user)
        {
            ModelState.AddModelError(string.Empty, LinkNotValid);
            return Page();
        }
        Email = user.Email;
        Input = new InputModel { UserId = userId, Code = code };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByIdAsync(Input.UserId);
        Email = user?.Email;
        if (!ModelState.IsValid) return Page();
        if (user is null || Decode(Input.Code) is not { } token)
        {
            ModelState.AddModelError(string.Empty, LinkNotValid);
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, token, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Code == nameof(IdentityErrorDescriber.InvalidToken) ? LinkNotValid : error.Description);
            }
            return Page();
        }
        await audit.RecordAsync(new AuditRecord(AuditActions.PasswordReset, user.Id, user.Id, user.Email), HttpContext.RequestAborted);
        // A disabled account gets its new password but no sign-in; the Login page tells it why.
        if (user.IsDisabled) return RedirectToPage("./Login");
        await signInManager.SignInAsync(user, isPersistent: false);
        TempData["StatusMessage"] = "Your new password is set and you are signed in.";
        return Redirect("/Conversations");
    }

    private static string? Decode(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
