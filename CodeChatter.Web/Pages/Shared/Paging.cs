using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>Where a paged list is: the page shown (from 1) and how many pages there are.</summary>
public sealed record Paging(int Page, int PageSize, int TotalItems)
{
    public int TotalPages => Math.Max(1, (TotalItems + PageSize - 1) / PageSize);
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < TotalPages;
    public int Skip => (Page - 1) * PageSize;

    /// <summary>Where a page of a query's list is.</summary>
    public static Paging Of<T>(PagedList<T> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new Paging(list.PageNumber, list.PageSize, list.TotalItems);
    }

    /// <summary>Clamps a requested page number into range.</summary>
    public static Paging For(int requestedPage, int pageSize, int totalItems)
    {
        var pages = Math.Max(1, (totalItems + pageSize - 1) / pageSize);
        return new Paging(Math.Clamp(requestedPage, 1, pages), pageSize, totalItems);
    }
}
