namespace CodeChatter.Core.Admin;

/// <summary>Usage at a glance, for the admin dashboard: how much runs, how it ends, who uses the CPU, and the queue right now.</summary>
/// <param name="RunsToday">Runs started since midnight UTC.</param>
/// <param name="RunsLast7Days">Runs started in the last 7 days, today included.</param>
/// <param name="RunsLast30Days">Runs started in the last <see cref="PeriodDays"/> days, today included.</param>
/// <param name="ActiveUsers7Days">People who ran something in the last 7 days.</param>
/// <param name="ActiveUsers30Days">People who ran something in the period.</param>
/// <param name="FailedShare">The share of the period's runs that ended <c>failed</c> (0 to 1).</param>
/// <param name="TimedOutShare">The share of the period's runs that ended <c>timed_out</c> (0 to 1).</param>
/// <param name="CpuTimeMs30Days">CPU time of the period's runs, in milliseconds.</param>
/// <param name="QueuedRuns">Runs waiting in the machine-wide queue now.</param>
/// <param name="RunningRuns">Runs executing now.</param>
/// <param name="Statuses">Statuses that occur in the period (wire names, plus <c>running</c>), in the vocabulary's order.</param>
/// <param name="RunsPerDay">One entry per day of the period, oldest first, days without runs included.</param>
/// <param name="RunsByLanguage">Runs per language in the period, most used first.</param>
/// <param name="TopUsers">The ten people who used the most CPU time in the period.</param>
public sealed record DashboardFigures(
    int RunsToday, int RunsLast7Days, int RunsLast30Days, int ActiveUsers7Days, int ActiveUsers30Days,
    double FailedShare, double TimedOutShare, long CpuTimeMs30Days, int QueuedRuns, int RunningRuns,
    IReadOnlyList<string> Statuses, IReadOnlyList<RunsOnDay> RunsPerDay, IReadOnlyList<LanguageRuns> RunsByLanguage,
    IReadOnlyList<TopUser> TopUsers)
{
    /// <summary>The days the charts and the 30-day figures cover, today included.</summary>
    public const int PeriodDays = 30;
}

/// <summary>The runs of one UTC day, counted by status (the statuses of <see cref="DashboardFigures.Statuses"/>).</summary>
/// <param name="Day">The day.</param>
/// <param name="ByStatus">Runs per status; a status without runs that day is absent.</param>
public sealed record RunsOnDay(DateOnly Day, IReadOnlyDictionary<string, int> ByStatus)
{
    /// <summary>All runs of the day.</summary>
    public int Total => ByStatus.Values.Sum();
}

/// <summary>How many runs were in one language.</summary>
/// <param name="Language">The language's name.</param>
/// <param name="Runs">Its runs in the period.</param>
public sealed record LanguageRuns(string Language, int Runs);

/// <summary>One person's use of the machine in the period.</summary>
/// <param name="UserId">The person's id.</param>
/// <param name="Email">Their e-mail (their id if they have none).</param>
/// <param name="Runs">Their runs.</param>
/// <param name="CpuTimeMs">CPU time of their runs, in milliseconds.</param>
public sealed record TopUser(string UserId, string Email, int Runs, long CpuTimeMs);

/// <summary>The admin dashboard's figures.</summary>
public interface IDashboardQueries
{
    /// <summary>The figures as of now (the injected clock), over the last <see cref="DashboardFigures.PeriodDays"/> days.</summary>
    Task<DashboardFigures> GetFiguresAsync(CancellationToken cancellationToken = default);
}
