using CodeChatter.Core.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Pages.ShareView;

/// <summary>
/// One image or file of a shared conversation, under the link's token: found only while the link is live and
/// only among that conversation's runs (an item of any other conversation is a 404, like a dead link).
/// </summary>
public class OutputModel(ShareService shares, IOptions<SharingOptions> sharing) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string token, long outputId)
    {
        if (sharing.Value.RequireSignIn && User.Identity?.IsAuthenticated != true) return Challenge();
        if (await shares.FindOutputAsync(token, outputId, HttpContext.RequestAborted) is not { } output) return NotFound();
        return File(output.Content, ShareResponse.PrepareItem(Response, output));
    }
}
