using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Conversations;

public class IndexModel(ChatDbContext db) : PageModel
{
    private const int PageSize = 20;

    public IReadOnlyList<ConversationRow> Conversations { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    [TempData]
    public string? StatusMessage { get; set; }

    public sealed record ConversationRow(long Id, string Title, DateTime UpdatedAt, int Messages, RunStatus? LastStatus, DateTime? LastRunAt, bool LastRunning);

    public async Task OnGetAsync(int pageNumber = 1)
    {
        var mine = db.Conversations.OwnedBy(User.UserId());
        Paging = Paging.For(pageNumber, PageSize, await mine.CountAsync());
        var rows = await mine
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Skip(Paging.Skip).Take(PageSize)
            .Select(c => new
            {
                c.Id, c.Title, c.UpdatedAt,
                Messages = c.Snippets.Count,
                Last = c.Snippets.SelectMany(s => s.Executions).OrderByDescending(e => e.Id)
                    .Select(e => new { e.Status, e.StartedAt, e.FinishedAt }).FirstOrDefault(),
            })
            .ToListAsync();
        Conversations = rows.Select(r => new ConversationRow(
            r.Id, r.Title, r.UpdatedAt, r.Messages,
            r.Last?.FinishedAt is null ? null : r.Last.Status, r.Last?.StartedAt, r.Last is { FinishedAt: null })).ToList();
    }
}
