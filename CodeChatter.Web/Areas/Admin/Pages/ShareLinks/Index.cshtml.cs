using CodeChatter.Core.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.ShareLinks;

/// <summary>Everyone's share links, newest first, with their owners; an admin can revoke one (audited).</summary>
public class IndexModel(ShareService shares, TimeProvider clock) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public IReadOnlyList<ShareLinkView> Links { get; private set; } = [];

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync() => Links = await shares.ListEveryonesAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRevokeAsync(long linkId)
    {
        if (await shares.RevokeAsAdminAsync(User.UserId(), linkId, HttpContext.RequestAborted) is not { } link) return NotFound();
        StatusMessage = $"{link.OwnerEmail}'s link to '{link.ConversationTitle}' is revoked.";
        return RedirectToPage();
    }
}
