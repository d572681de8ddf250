using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Search;

/// <summary>How hits are ordered.</summary>
public enum SearchOrder
{
    /// <summary>Most recently written first (the default).</summary>
    Newest,
    /// <summary>Best match first (BM25).</summary>
    Relevance,
}

/// <summary>Converts <see cref="SearchOrder"/> to and from the name pages and the API use.</summary>
public static class SearchOrderNames
{
    /// <summary>The wire name of the default order.</summary>
    public const string Newest = "newest";

    /// <summary>The wire name of ordering by relevance.</summary>
    public const string Rank = "rank";

    /// <summary>Reads an order name; anything unknown or missing is <see cref="SearchOrder.Newest"/>.</summary>
    public static SearchOrder Parse(string? name) =>
        string.Equals(name, Rank, StringComparison.OrdinalIgnoreCase) ? SearchOrder.Relevance : SearchOrder.Newest;

    /// <summary>The wire name of an order.</summary>
    public static string ToWireName(this SearchOrder order) => order == SearchOrder.Relevance ? Rank : Newest;
}

/// <summary>A search as a person (or the admin) asked for it.</summary>
/// <param name="Query">What was typed in the search box.</param>
/// <param name="Language">Only this language (a language id), or null for any.</param>
/// <param name="Status">Only runs with this wire status (or <c>running</c>), or null for any; notes have none.</param>
/// <param name="From">First UTC day, inclusive.</param>
/// <param name="To">Last UTC day, inclusive.</param>
/// <param name="Page">The page wanted, from 1.</param>
/// <param name="Order">How hits are ordered.</param>
public sealed record SearchRequest(
    string? Query, string? Language = null, string? Status = null, DateOnly? From = null, DateOnly? To = null,
    int Page = 1, SearchOrder Order = SearchOrder.Newest);

/// <summary>What the data layer is asked: the parsed terms, whose rows (null: everyone's, for the admin) and the filters.</summary>
/// <param name="Terms">What to look for; never empty.</param>
/// <param name="OwnerId">Only this person's rows, or null for everyone's.</param>
/// <param name="Request">The filters, page and order.</param>
/// <param name="PageSize">Hits per page.</param>
/// <param name="CountLimit">
/// Hits counted at most, and the newest this many are what "best match first" ranks: counting or scoring
/// every hit of a word in all 100,000 runs of a person costs 100-700 ms, the newest thousand a few.
/// </param>
public sealed record SearchCriteria(SearchTerms Terms, string? OwnerId, SearchRequest Request, int PageSize, int CountLimit);

/// <summary>A page of hits, or why there is none.</summary>
/// <param name="Outcome">Whether the search ran.</param>
/// <param name="Hits">The page of hits (empty unless <see cref="SearchOutcome.Found"/>).</param>
/// <param name="Languages">Languages the filter offers.</param>
public sealed record SearchResults(SearchOutcome Outcome, PagedList<SearchHit> Hits, IReadOnlyList<string> Languages)
{
    /// <summary>Whether there may be more hits than <see cref="PagedList{T}.TotalItems"/>: counting stopped at the limit.</summary>
    public bool MoreThanCounted => Hits.TotalItems >= SearchService.CountLimit;

    /// <summary>What a person is told when their query could not be read.</summary>
    public const string NotUnderstoodMessage = "The search could not understand that query. Try plain words, \"a phrase\", pre* or -word, with at least one word to look for.";
}

/// <summary>Whether a search ran.</summary>
public enum SearchOutcome
{
    /// <summary>Nothing was typed: nothing to look for.</summary>
    NoQuery,
    /// <summary>The search ran (it may have found nothing).</summary>
    Found,
    /// <summary>The search engine could not read the query.</summary>
    NotUnderstood,
}

/// <summary>The search engine refused a query (its syntax, not the person's data).</summary>
public sealed class SearchQueryNotUnderstoodException(string message, Exception inner) : Exception(message, inner);
