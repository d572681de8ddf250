using CodeChatter.Core.Search;

namespace CodeChatter.Web.Pages.Search;

/// <summary>Searches everything the signed-in person has sent and received, across their conversations.</summary>
public class IndexModel(SearchService search) : SearchPageModel
{
    public override bool ForAdmin => false;

    protected override Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        search.SearchOwnAsync(User.UserId(), request, cancellationToken);
}
