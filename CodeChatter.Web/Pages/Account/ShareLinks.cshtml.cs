using CodeChatter.Core.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Account;

/// <summary>The person's share links, every state: which conversation, the address, views, and Revoke.</summary>
public class ShareLinksModel(ShareService shares, TimeProvider clock) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public IReadOnlyList<ShareLinkView> Links { get; private set; } = [];

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync() => Links = await shares.ListMineAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRevokeAsync(long linkId)
    {
        if (await shares.RevokeAsync(User.UserId(), linkId, HttpContext.RequestAborted) is not { } link) return NotFound();
        StatusMessage = $"The link to '{link.ConversationTitle}' is revoked; it no longer opens the conversation.";
        return RedirectToPage();
    }
}
