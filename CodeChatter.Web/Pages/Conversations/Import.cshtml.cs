using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Export;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// Imports a Jupyter notebook as a new conversation, with nothing run. A file that cannot be imported comes
/// back to this form with the reason; the form is also on the New conversation page.
/// </summary>
// The request may be well over the notebook limit, so an oversize file still reaches the handler and gets
// the clear message: past the request limit the antiforgery check cannot read the form and the answer is a
// bare 400. Bounded all the same, so nobody can stream an unlimited body to the server's temp files.
[RequestFormLimits(MultipartBodyLengthLimit = ImportModel.MaxUploadBytes)]
[RequestSizeLimit(ImportModel.MaxUploadBytes)]
public class ImportModel(NotebookImporter importer) : PageModel
{
    /// <summary>The largest request read: well over the notebook limit, so that most oversize files get the clear message.</summary>
    public const int MaxUploadBytes = 32 * 1024 * 1024;

    [BindProperty]
    [Display(Name = "Notebook (.ipynb)")]
    public IFormFile? Notebook { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Notebook is null || Notebook.Length == 0)
        {
            ModelState.AddModelError(nameof(Notebook), "Choose a .ipynb file to import.");
            return Page();
        }
        if (Notebook.Length > NotebookReader.MaxBytes)
        {
            ModelState.AddModelError(nameof(Notebook), $"The file is larger than {NotebookReader.MaxBytes / (1024 * 1024)} MiB, the most a notebook can be.");
            return Page();
        }
        using var content = new MemoryStream((int)Notebook.Length);
        await Notebook.CopyToAsync(content, HttpContext.RequestAborted);
        var result = await importer.ImportAsync(User.UserId(), content.ToArray(), Notebook.FileName, HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            ModelState.AddModelError(nameof(Notebook), problem.Message);
            return Page();
        }
        TempData["StatusMessage"] = "Imported the notebook. Nothing has run yet: run a message, or Re-run all.";
        return RedirectToPage("/Conversations/Chat", new { id = result.ConversationId });
    }
}
