using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Areas.Admin.Pages.Audit;

/// <summary>The audit log, newest first: admin actions, lockouts, refused runs, tokens.</summary>
public class IndexModel(ChatDbContext db) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Emails { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public async Task OnGetAsync()
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Action)) events = events.Where(a => a.Action == Action);
        Paging = Paging.For(PageNumber, PageSize, await events.CountAsync());
        Events = await events.OrderByDescending(a => a.Id).Skip(Paging.Skip).Take(PageSize).ToListAsync();
        var ids = Events.SelectMany(a => new[] { a.ActorId, a.Target }).OfType<string>().Distinct().ToList();
        Emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id);
        Actions = await db.AuditEvents.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync();
    }

    public string Describe(string? userId) => userId is null ? "system" : Emails.GetValueOrDefault(userId, userId);
}
