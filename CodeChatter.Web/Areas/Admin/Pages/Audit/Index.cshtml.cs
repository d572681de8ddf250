using CodeChatter.Core.Admin;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Audit;

/// <summary>The audit log, newest first: admin actions, lockouts, refused runs, tokens.</summary>
public class IndexModel(IAuditQueries audit) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditRow> Events { get; private set; } = [];

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Paging = Paging.For(PageNumber, PageSize, await audit.CountAsync(Action, cancellationToken));
        Events = await audit.ListAsync(Action, Paging.Skip, PageSize, cancellationToken);
        Actions = await audit.ActionsAsync(cancellationToken);
    }
}
