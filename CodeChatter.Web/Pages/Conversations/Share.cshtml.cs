using CodeChatter.Core.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>Makes and revokes read-only links to one of the person's conversations, from the chat page's share panel.</summary>
public class ShareModel(ShareService shares) : PageModel
{
    /// <summary>The expiries the panel offers, in days (none: never).</summary>
    public static readonly IReadOnlySet<int> OfferedExpiries = new HashSet<int> { 1, 7, 30 };

    [TempData]
    public string? StatusMessage { get; set; }

    public IActionResult OnGet(long id) => BackToChat(id);

    public async Task<IActionResult> OnPostCreateAsync(long id, int? expiresInDays)
    {
        if (expiresInDays is { } days && !OfferedExpiries.Contains(days)) return BadRequest();
        if (await shares.CreateAsync(User.UserId(), id, expiresInDays, HttpContext.RequestAborted) is null) return NotFound();
        StatusMessage = expiresInDays is null
            ? "Read-only link made. Copy it from the share panel."
            : $"Read-only link made; it expires in {expiresInDays} {(expiresInDays == 1 ? "day" : "days")}. Copy it from the share panel.";
        return BackToChat(id);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, long linkId)
    {
        // Any link of the person's may be revoked from here; the answer goes back to the conversation it opened.
        if (await shares.RevokeAsync(User.UserId(), linkId, HttpContext.RequestAborted) is not { } link) return NotFound();
        StatusMessage = "Link revoked; it no longer opens the conversation.";
        return BackToChat(link.ConversationId);
    }

    private RedirectToPageResult BackToChat(long id) =>
        RedirectToPage("/Conversations/Chat", null, new { id, share = "open" }, "share");
}
