using CodeChatter.Core.Execution;
using CodeChatter.Core.Search;
using CodeChatter.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Search;

/// <summary>
/// What both search pages (a person's own and the admin's of everyone's) bind from the query string and show.
/// The short names (<c>q</c>, <c>language</c>, ...) are the API's too, so a search's address reads the same everywhere.
/// </summary>
public abstract class SearchPageModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "language")]
    public string? Language { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "order")]
    public string? Order { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public SearchResults Results { get; private set; } = null!;

    public Paging Paging { get; private set; } = Paging.For(1, SearchService.PageSize, 0);

    /// <summary>Whether hits say whose they are and open the admin's read-only view.</summary>
    public abstract bool ForAdmin { get; }

    public async Task OnGetAsync()
    {
        var request = new SearchRequest(Query, Language, Status, From, To, PageNumber, SearchOrderNames.Parse(Order));
        Results = await SearchAsync(request, HttpContext.RequestAborted);
        Paging = Paging.Of(Results.Hits);
    }

    protected abstract Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>The statuses the filter offers: every finished one and running.</summary>
    public static IEnumerable<string> Statuses => RunStatusNames.All.Append(Core.Chat.Reading.RunningStatus.WireName);
}
