using CodeChatter.Data;
using CodeChatter.Web.Identity;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>Everyone with an account, searchable by e-mail, with their usage, role and state.</summary>
public class IndexModel(ChatDbContext db, TimeProvider time) : PageModel
{
    private const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public sealed record PersonRow(
        string Id, string Email, bool IsAdmin, bool IsDisabled, DateTimeOffset? LockoutEnd, int? DailyRunQuota,
        int Runs, long CpuTimeMs, DateTime? LastActivity, DateTime CreatedAt)
    {
        public string State(DateTimeOffset now) => IsDisabled ? "disabled" : LockoutEnd > now ? "locked out" : "active";
    }

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync()
    {
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleOrDefaultAsync();
        var people = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Trim().ToUpperInvariant();
            people = people.Where(u => u.NormalizedEmail!.Contains(search));
        }
        Paging = Paging.For(PageNumber, PageSize, await people.CountAsync());
        People = await people
            .OrderBy(u => u.NormalizedEmail)
            .Skip(Paging.Skip).Take(PageSize)
            .Select(u => new PersonRow(
                u.Id, u.Email ?? u.UserName ?? u.Id,
                db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId),
                u.IsDisabled, u.LockoutEnd, u.DailyRunQuota,
                db.Executions.Count(e => e.Snippet!.Conversation!.OwnerId == u.Id),
                db.Executions.Where(e => e.Snippet!.Conversation!.OwnerId == u.Id).Sum(e => e.CpuTimeMs) ?? 0,
                db.Executions.Where(e => e.Snippet!.Conversation!.OwnerId == u.Id).OrderByDescending(e => e.Id).Select(e => (DateTime?)e.StartedAt).FirstOrDefault(),
                u.CreatedAt))
            .ToListAsync();
    }
}
