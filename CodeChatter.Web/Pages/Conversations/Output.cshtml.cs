using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One plot, other displayed item or file of a reply, for the reply's <c>&lt;img&gt;</c> or Download link:
/// found through <see cref="IRunQueries"/>, which finds only the person's own, and only in the conversation
/// its address names; anything else is a 404. A file is always a download of opaque bytes.
/// </summary>
public class OutputModel(IRunQueries runs) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, long outputId)
    {
        var output = await runs.FindOutputAsync(User.UserId(), outputId, HttpContext.RequestAborted);
        if (output is null || output.ConversationId != id) return NotFound();
        if (output.MediaType == RichMediaTypes.File)
        {
            FileDownload.AddHeaders(Response, StoredOutputFile.FileName(output));
            return File(output.Content, FileDownload.ContentType);
        }
        StoredOutputFile.AddHeaders(Response);
        return StoredOutputFile.AttachmentName(output) is { } attachmentName
            ? File(output.Content, StoredOutputFile.ContentType(output), attachmentName)
            : File(output.Content, StoredOutputFile.ContentType(output));
    }
}
