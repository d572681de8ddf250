using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Export;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// Imports a Jupyter notebook as a new conversation, with nothing run. A file that cannot be imported comes
/// back to this form with the reason; the form is also on the New conversation page.
/// </summary>
// The multipart body may be a little over the notebook limit, so an oversize file still reaches the handler
// and gets the clear message rather than a bare 400 from the form reader.
[RequestFormLimits(MultipartBodyLengthLimit = ImportModel.MaxUploadBytes)]
[RequestSizeLimit(ImportModel.MaxUploadBytes)]
public class ImportModel(NotebookImporter importer) : PageModel
{
    /// <summary>The largest request taken: the notebook limit plus room for the form's other fields.</summary>
    public const int MaxUploadBytes = NotebookReader.MaxBytes + 1024 * 1024;

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
