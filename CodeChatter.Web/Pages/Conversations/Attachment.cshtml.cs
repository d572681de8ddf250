using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One file attached to a conversation, downloaded by its owner: found through <see cref="AttachmentService"/>,
/// which finds only the person's own and only in the conversation the address names; anything else is a 404.
/// </summary>
public class AttachmentModel(AttachmentService attachments) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, long attachmentId)
    {
        var attachment = await attachments.GetContentAsync(User.UserId(), id, attachmentId, HttpContext.RequestAborted);
        if (attachment is null || attachment.ConversationId != id) return NotFound();
        FileDownload.AddHeaders(Response, attachment.Name);
        return File(attachment.Content, FileDownload.ContentType);
    }
}
