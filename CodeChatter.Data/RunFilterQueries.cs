using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Data.Entities;

namespace CodeChatter.Data;

/// <summary>The filters the runs pages share (a person's own and the admin's): status, language, dates.</summary>
public static class RunFilterQueries
{
    /// <summary>
    /// Keeps runs with the given wire status (or still running, for <c>running</c>), language, and a start
    /// between the two UTC dates inclusive. A null or blank filter keeps everything.
    /// </summary>
    public static IQueryable<Execution> Matching(
        this IQueryable<Execution> runs, string? status, string? language, DateOnly? from, DateOnly? to)
    {
        if (RunStatusNames.TryParse(status, out var wanted))
        {
            runs = runs.Where(e => e.Status == wanted && e.FinishedAt != null);
        }
        else if (status == RunningStatus.WireName)
        {
            runs = runs.Where(e => e.FinishedAt == null);
        }
        if (!string.IsNullOrWhiteSpace(language))
        {
            runs = runs.Where(e => e.Snippet!.Language == language);
        }
        if (from is { } first)
        {
            var start = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            runs = runs.Where(e => e.StartedAt >= start);
        }
        if (to is { } last)
        {
            var end = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            runs = runs.Where(e => e.StartedAt < end);
        }
        return runs;
    }
}
