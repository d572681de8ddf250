using CodeChatter.Core.Admin;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Admin;

/// <summary>The dashboard's figures from the stored runs, and the queue's state from <see cref="IRunLoad"/>.</summary>
public sealed class EfDashboardQueries(ChatDbContext db, IRunLoad queue, TimeProvider time) : IDashboardQueries
{
    /// <inheritdoc />
    public async Task<DashboardFigures> GetFiguresAsync(CancellationToken cancellationToken = default)
    {
        var today = time.GetUtcNow().UtcDateTime.Date;
        var weekStart = today.AddDays(-6);
        var since = today.AddDays(-(DashboardFigures.PeriodDays - 1));
        // 30 days of runs, a few small columns each, aggregated here: SQLite cannot group by a day of a
        // converted DateTime in SQL, and even 100k rows of this shape take milliseconds.
        var runs = await db.Executions.AsNoTracking()
            .Where(e => e.StartedAt >= since)
            .Select(e => new
            {
                e.StartedAt, e.Status, Running = e.FinishedAt == null, e.Snippet!.Language, e.CpuTimeMs,
                OwnerId = e.Snippet.Conversation!.OwnerId,
            })
            .ToListAsync(cancellationToken);
        string StatusOf(RunStatus status, bool running) => running ? RunningStatus.WireName : status.ToWireName();

        var present = runs.Select(r => StatusOf(r.Status, r.Running)).ToHashSet();
        var runsPerDay = Enumerable.Range(0, DashboardFigures.PeriodDays)
            .Select(offset => DateOnly.FromDateTime(since.AddDays(offset)))
            .Select(day => new RunsOnDay(day, runs
                .Where(r => DateOnly.FromDateTime(r.StartedAt) == day)
                .GroupBy(r => StatusOf(r.Status, r.Running))
                .ToDictionary(g => g.Key, g => g.Count())))
            .ToList();
        var runsByLanguage = runs.GroupBy(r => r.Language).Select(g => new LanguageRuns(g.Key, g.Count()))
            .OrderByDescending(l => l.Runs).ThenBy(l => l.Language, StringComparer.Ordinal).ToList();

        var top = runs.GroupBy(r => r.OwnerId)
            .Select(g => (UserId: g.Key, Runs: g.Count(), Cpu: g.Sum(r => r.CpuTimeMs ?? 0)))
            .OrderByDescending(u => u.Cpu).ThenByDescending(u => u.Runs).Take(10).ToList();
        var ids = top.Select(u => u.UserId).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);

        return new DashboardFigures(
            RunsToday: runs.Count(r => r.StartedAt >= today),
            RunsLast7Days: runs.Count(r => r.StartedAt >= weekStart),
            RunsLast30Days: runs.Count,
            ActiveUsers7Days: runs.Where(r => r.StartedAt >= weekStart).Select(r => r.OwnerId).Distinct().Count(),
            ActiveUsers30Days: runs.Select(r => r.OwnerId).Distinct().Count(),
            FailedShare: Share(runs.Count(r => !r.Running && r.Status == RunStatus.Failed), runs.Count),
            TimedOutShare: Share(runs.Count(r => !r.Running && r.Status == RunStatus.TimedOut), runs.Count),
            CpuTimeMs30Days: runs.Sum(r => r.CpuTimeMs ?? 0),
            QueuedRuns: queue.Waiting,
            RunningRuns: queue.Running,
            Statuses: RunStatusNames.All.Append(RunningStatus.WireName).Where(present.Contains).ToList(),
            RunsPerDay: runsPerDay,
            RunsByLanguage: runsByLanguage,
            TopUsers: top.Select(u => new TopUser(u.UserId, emails.GetValueOrDefault(u.UserId, u.UserId), u.Runs, u.Cpu)).ToList());
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
