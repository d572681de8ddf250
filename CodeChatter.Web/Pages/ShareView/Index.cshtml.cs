using CodeChatter.Core.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Pages.ShareView;

/// <summary>
/// The public, read-only page of a share link. An unknown, expired or revoked token is the same plain 404.
/// Its one form, for a signed-in viewer, copies the conversation into their own.
/// </summary>
public class IndexModel(ShareService shares, IOptions<SharingOptions> sharing) : PageModel
{
    public SharedConversation Shared { get; private set; } = null!;

    /// <summary>Read by the chat page the copy lands on.</summary>
    [TempData]
    public string? StatusMessage { get; set; }

    public bool CanCopy => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync(string token)
    {
        if (sharing.Value.RequireSignIn && !CanCopy) return Challenge();
        if (await shares.OpenAsync(token, HttpContext.RequestAborted) is not { } shared) return NotFound();
        ShareResponse.AddPrivacyHeaders(Response);
        Shared = shared;
        return Page();
    }

    public async Task<IActionResult> OnPostCopyAsync(string token)
    {
        if (!CanCopy) return Challenge();
        if (await shares.CopyAsync(token, User.UserId(), HttpContext.RequestAborted) is not { } conversationId) return NotFound();
        StatusMessage = "Copied into your conversations: its snippets and notes, nothing run yet.";
        return RedirectToPage("/Conversations/Chat", new { id = conversationId });
    }
}
