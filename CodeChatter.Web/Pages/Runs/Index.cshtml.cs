using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Runs;

/// <summary>Every run of the person's, across conversations, newest first, with filters.</summary>
public class IndexModel(ChatDbContext db) : PageModel
{
    private const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public FilterModel Filter { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public sealed class FilterModel : RunFilter
    {
        [Display(Name = "Code contains")]
        public string? Text { get; set; }
    }

    public sealed record RunRow(
        long ExecutionId, long ConversationId, string ConversationTitle, int Sequence, string Language, string Code,
        RunStatus Status, bool Running, DateTime StartedAt, long WallTimeMs);

    public async Task OnGetAsync()
    {
        var userId = User.UserId();
        var runs = db.Executions.OwnedBy(userId);
        runs = Filter.Apply(runs);
        if (!string.IsNullOrWhiteSpace(Filter.Text))
        {
            runs = runs.Where(e => e.Snippet!.Code.Contains(Filter.Text));
        }

        // Counted and paged on the (OwnerId, StartedAt) index; only the page's rows are then joined to
        // their snippets and conversations.
        Paging = Paging.For(PageNumber, PageSize, await runs.CountAsync());
        var pageIds = runs
            .OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id)
            .Skip(Paging.Skip).Take(PageSize)
            .Select(e => e.Id);
        Runs = await db.Executions
            .Where(e => pageIds.Contains(e.Id))
            .OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id)
            .Select(e => new RunRow(
                e.Id, e.Snippet!.ConversationId, e.Snippet.Conversation!.Title, e.Snippet.Sequence, e.Snippet.Language,
                e.Snippet.Code.Substring(0, 200), e.Status, e.FinishedAt == null, e.StartedAt, e.WallTimeMs))
            .ToListAsync();
        Languages = await db.LanguagesUsedByAsync(userId);
    }
}
