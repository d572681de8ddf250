using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Search;

/// <summary>Reads the full-text index (implemented by the data layer: SQLite FTS5 today).</summary>
public interface ISearchQueries
{
    /// <summary>One page of hits for the criteria, newest first or by rank.</summary>
    /// <exception cref="SearchQueryNotUnderstoodException">The search engine could not read the query.</exception>
    Task<PagedList<SearchHit>> SearchAsync(SearchCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>The languages a person's filter offers (null: everyone's), in order.</summary>
    Task<IReadOnlyList<string>> LanguagesAsync(string? ownerId, CancellationToken cancellationToken = default);
}
