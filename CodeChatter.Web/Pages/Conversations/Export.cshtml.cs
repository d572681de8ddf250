using CodeChatter.Core.Export;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One of the person's conversations as a notebook, a script or a Markdown file, always as an attachment.
/// Someone else's conversation, or an unknown format, is a 404.
/// </summary>
public class ExportModel(ConversationExporter exporter) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long id, string format)
    {
        if (!ExportFormats.TryParse(format, out var chosen)) return NotFound();
        var file = await exporter.ExportAsync(User.UserId(), id, chosen, ExportDownloads.SanitizeHtml, HttpContext.RequestAborted);
        if (file is null) return NotFound();
        ExportDownloads.AddHeaders(Response);
        return File(file.Content, file.ContentType, file.FileName);
    }
}
