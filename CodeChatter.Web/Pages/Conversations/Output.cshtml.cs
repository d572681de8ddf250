using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One plot (or other displayed item) of a reply, for the reply's <c>&lt;img&gt;</c>: found through
/// <see cref="IRunQueries"/>, which finds only the person's own, and only in the conversation its address
/// names; anything else is a 404.
/// </summary>
public class OutputModel(IRunQueries runs) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, long outputId)
    {
        var output = await runs.FindOutputAsync(User.UserId(), outputId, HttpContext.RequestAborted);
        if (output is null || output.ConversationId != id) return NotFound();
        StoredOutputFile.AddHeaders(Response);
        return StoredOutputFile.AttachmentName(output) is { } name
            ? File(output.Content, StoredOutputFile.ContentType(output), name)
            : File(output.Content, StoredOutputFile.ContentType(output));
    }
}
