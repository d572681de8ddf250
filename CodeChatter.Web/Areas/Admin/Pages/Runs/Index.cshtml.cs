using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Areas.Admin.Pages.Runs;

/// <summary>Every run of every person, newest first, with filters; each opens its conversation read-only.</summary>
public class IndexModel(ChatDbContext db) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public FilterModel Filter { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public sealed class FilterModel : RunFilter
    {
        [Display(Name = "Person (e-mail contains)")]
        public string? Person { get; set; }
    }

    public sealed record RunRow(
        long ExecutionId, long ConversationId, string ConversationTitle, int Sequence, string OwnerId, string Owner,
        string Language, string Code, RunStatus Status, bool Running, DateTime StartedAt, long WallTimeMs, long? CpuTimeMs,
        string? Detail);

    public async Task OnGetAsync()
    {
        var runs = db.Executions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Filter.Person))
        {
            var person = Filter.Person.Trim().ToUpperInvariant();
            runs = runs.Where(e => e.Snippet!.Conversation!.Owner!.NormalizedEmail!.Contains(person));
        }
        runs = Filter.Apply(runs);

        Paging = Paging.For(PageNumber, PageSize, await runs.CountAsync());
        Runs = await runs
            .OrderByDescending(e => e.Id)
            .Skip(Paging.Skip).Take(PageSize)
            .Select(e => new RunRow(
                e.Id, e.Snippet!.ConversationId, e.Snippet.Conversation!.Title, e.Snippet.Sequence,
                e.Snippet.Conversation.OwnerId, e.Snippet.Conversation.Owner!.Email ?? e.Snippet.Conversation.OwnerId,
                e.Snippet.Language, e.Snippet.Code.Substring(0, 200), e.Status, e.FinishedAt == null, e.StartedAt,
                e.WallTimeMs, e.CpuTimeMs, e.Detail))
            .ToListAsync();
        Languages = await db.Snippets.Where(s => s.Kind == Core.Chat.SnippetKind.Code)
            .Select(s => s.Language).Distinct().OrderBy(l => l).ToListAsync();
    }
}
