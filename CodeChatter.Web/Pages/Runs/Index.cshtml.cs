using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Runs;

/// <summary>Every run of the person's, across conversations, newest first, with filters.</summary>
public class IndexModel(IRunQueries runs) : PageModel
{
    private const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public RunFilterForm Filter { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RunRow> Runs { get; private set; } = [];

    public IReadOnlyList<string> Languages { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, PageSize, 0);

    public async Task OnGetAsync()
    {
        var list = await runs.ListOwnedAsync(User.UserId(), Filter.ForOwnRuns(), PageNumber, PageSize, HttpContext.RequestAborted);
        (Runs, Languages, Paging) = (list.Runs.Items, list.Languages, Paging.Of(list.Runs));
    }
}
