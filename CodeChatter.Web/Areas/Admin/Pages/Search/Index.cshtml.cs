using CodeChatter.Core.Search;
using CodeChatter.Web.Pages.Search;

namespace CodeChatter.Web.Areas.Admin.Pages.Search;

/// <summary>Searches everyone's conversations; each hit says whose it is and opens the read-only view.</summary>
public class IndexModel(SearchService search) : SearchPageModel
{
    public override bool ForAdmin => true;

    protected override Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        search.SearchEveryonesAsync(request, cancellationToken);
}
