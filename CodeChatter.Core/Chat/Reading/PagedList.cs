namespace CodeChatter.Core.Chat.Reading;

/// <summary>One page of a longer list.</summary>
/// <param name="Items">The items on this page.</param>
/// <param name="PageNumber">This page's number, from 1, clamped into range.</param>
/// <param name="PageSize">Items per page.</param>
/// <param name="TotalItems">Items on every page together.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalItems)
{
    /// <summary>Clamps a requested page number to the pages <paramref name="totalItems"/> make.</summary>
    public static int ClampPage(int requestedPage, int pageSize, int totalItems)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var pages = Math.Max(1, (totalItems + pageSize - 1) / pageSize);
        return Math.Clamp(requestedPage, 1, pages);
    }
}
