using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages.Runs;

/// <summary>Every run of every person, newest first, with filters; each opens its conversation read-only.</summary>
public class IndexModel(IRunQueries runs) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public RunFilterForm Filter { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public async Task OnGetAsync()
    {
        var list = await runs.ListEveryonesAsync(Filter.ForEveryonesRuns(), PageNumber, PageSize, HttpContext.RequestAborted);
        (Runs, Languages, Paging) = (list.Runs.Items, list.Languages, Paging.Of(list.Runs));
    }
}
