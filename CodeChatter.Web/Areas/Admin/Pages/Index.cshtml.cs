using System.Globalization;
using System.Text.Json;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using CodeChatter.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Areas.Admin.Pages;

/// <summary>Usage at a glance: how much runs, how it ends, who uses the CPU, and the queue right now.</summary>
public class IndexModel(ChatDbContext db, FairRunQueue queue, TimeProvider time) : PageModel
{
    /// <summary>The days the charts and the 30-day figures cover, today included.</summary>
    public const int Days = 30;

    private const string RunningStatus = "running";

    public int RunsToday { get; private set; }
    public int RunsLast7Days { get; private set; }
    public int RunsLast30Days { get; private set; }
    public int ActiveUsers7Days { get; private set; }
    public int ActiveUsers30Days { get; private set; }
    public double FailedShare { get; private set; }
    public double TimedOutShare { get; private set; }
    public long CpuTimeMs30Days { get; private set; }
    public int QueuedRuns { get; private set; }
    public int RunningRuns { get; private set; }

    /// <summary>Statuses that occur in the period, in the vocabulary's order.</summary>
    public IReadOnlyList<string> Statuses { get; private set; } = [];
    public IReadOnlyList<DayRow> RunsPerDay { get; private set; } = [];
    public IReadOnlyList<(string Language, int Runs)> RunsByLanguage { get; private set; } = [];
    public IReadOnlyList<TopUserRow> TopUsers { get; private set; } = [];

    /// <summary>Chart data as JSON, for a data attribute (Razor encodes it; no inline script is needed).</summary>
    public string RunsPerDayJson { get; private set; } = "{}";
    public string RunsByLanguageJson { get; private set; } = "{}";

    public sealed record DayRow(DateOnly Day, IReadOnlyDictionary<string, int> ByStatus)
    {
        public int Total => ByStatus.Values.Sum();
    }

    public sealed record TopUserRow(string UserId, string Email, int Runs, long CpuTimeMs);

    public async Task OnGetAsync()
    {
        var today = time.GetUtcNow().UtcDateTime.Date;
        var since = today.AddDays(-(Days - 1));
        // 30 days of runs, a few small columns each, aggregated here: SQLite cannot group by a day of a
        // converted DateTime in SQL, and even 100k rows of this shape take milliseconds.
        var runs = await db.Executions.AsNoTracking()
            .Where(e => e.StartedAt >= since)
            .Select(e => new
            {
                e.StartedAt, e.Status, Running = e.FinishedAt == null, e.Snippet!.Language, e.CpuTimeMs,
                OwnerId = e.Snippet.Conversation!.OwnerId,
            })
            .ToListAsync();
        string StatusOf(RunStatus status, bool running) => running ? RunningStatus : status.ToWireName();

        RunsToday = runs.Count(r => r.StartedAt >= today);
        RunsLast7Days = runs.Count(r => r.StartedAt >= today.AddDays(-6));
        RunsLast30Days = runs.Count;
        ActiveUsers7Days = runs.Where(r => r.StartedAt >= today.AddDays(-6)).Select(r => r.OwnerId).Distinct().Count();
        ActiveUsers30Days = runs.Select(r => r.OwnerId).Distinct().Count();
        FailedShare = Share(runs.Count(r => !r.Running && r.Status == RunStatus.Failed), runs.Count);
        TimedOutShare = Share(runs.Count(r => !r.Running && r.Status == RunStatus.TimedOut), runs.Count);
        CpuTimeMs30Days = runs.Sum(r => r.CpuTimeMs ?? 0);
        QueuedRuns = queue.QueuedCount;
        RunningRuns = queue.RunningCount;

        var present = runs.Select(r => StatusOf(r.Status, r.Running)).ToHashSet();
        Statuses = RunStatusNames.All.Append(RunningStatus).Where(present.Contains).ToList();
        RunsPerDay = Enumerable.Range(0, Days)
            .Select(offset => DateOnly.FromDateTime(since.AddDays(offset)))
            .Select(day => new DayRow(day, runs
                .Where(r => DateOnly.FromDateTime(r.StartedAt) == day)
                .GroupBy(r => StatusOf(r.Status, r.Running))
                .ToDictionary(g => g.Key, g => g.Count())))
            .ToList();
        RunsByLanguage = runs.GroupBy(r => r.Language).Select(g => (g.Key, g.Count()))
            .OrderByDescending(l => l.Item2).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();

        var top = runs.GroupBy(r => r.OwnerId)
            .Select(g => (UserId: g.Key, Runs: g.Count(), Cpu: g.Sum(r => r.CpuTimeMs ?? 0)))
            .OrderByDescending(u => u.Cpu).ThenByDescending(u => u.Runs).Take(10).ToList();
        var ids = top.Select(u => u.UserId).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id);
        TopUsers = top.Select(u => new TopUserRow(u.UserId, emails.GetValueOrDefault(u.UserId, u.UserId), u.Runs, u.Cpu)).ToList();

        RunsPerDayJson = JsonSerializer.Serialize(new
        {
            labels = RunsPerDay.Select(d => d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            datasets = Statuses.Select(status => new { status, data = RunsPerDay.Select(d => d.ByStatus.GetValueOrDefault(status)) }),
        });
        RunsByLanguageJson = JsonSerializer.Serialize(new
        {
            labels = RunsByLanguage.Select(l => l.Language),
            data = RunsByLanguage.Select(l => l.Runs),
        });
    }

    public static string Percent(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
