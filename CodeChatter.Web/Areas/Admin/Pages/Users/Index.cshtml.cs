using CodeChatter.Core.Admin;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Users;

/// <summary>Everyone with an account, searchable by e-mail, with their usage, role and state.</summary>
public class IndexModel(IPeopleQueries people, TimeProvider time) : PageModel
{
    private const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        Paging = Paging.For(PageNumber, PageSize, await people.CountAsync(Search, cancellationToken));
        People = await people.ListAsync(Search, Paging.Skip, PageSize, cancellationToken);
    }
}
