using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Operations;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Data;

/// <summary>The database's size and "Remove old runs": runs older than N days go, with their output (audited).</summary>
public class IndexModel(IDatabaseBackup database, RunRetention retention) : PageModel
{
    [BindProperty]
    public RemoveInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public DatabaseSize Size { get; private set; } = null!;

    /// <summary><c>Retention:KeepRunsDays</c>, null when the instance keeps everything.</summary>
    public int? ConfiguredDays => retention.ConfiguredDays;

    public class RemoveInput
    {
        [Required]
        [Range(1, 36500)]
        [Display(Name = "Keep runs of the last (days)")]
        public int? Days { get; set; }
    }

    public async Task OnGetAsync()
    {
        Input.Days = ConfiguredDays;
        Size = await database.GetSizeAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        if (!ModelState.IsValid)
        {
            Size = await database.GetSizeAsync(HttpContext.RequestAborted);
            return Page();
        }
        var report = await retention.RemoveOlderThanAsync(Input.Days!.Value, User.UserId(), HttpContext.RequestAborted);
        StatusMessage = $"Removed {report.RunsRemoved} run(s) and {report.ConversationsRemoved} whole conversation(s) older than " +
            $"{Input.Days} day(s). The database went from {Format.Bytes(report.BytesBefore)} to {Format.Bytes(report.BytesAfter)}.";
        return RedirectToPage();
    }
}
