using System.Globalization;
using System.Text.Json;
using CodeChatter.Core.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Areas.Admin.Pages;

/// <summary>Usage at a glance: how much runs, how it ends, who uses the CPU, and the queue right now.</summary>
public class IndexModel(IDashboardQueries dashboard) : PageModel
{
    /// <summary>The days the charts and the 30-day figures cover, today included.</summary>
    public const int Days = DashboardFigures.PeriodDays;

    public DashboardFigures Figures { get; private set; } = null!;

    /// <summary>Chart data as JSON, for a data attribute (Razor encodes it; no inline script is needed).</summary>
    public string RunsPerDayJson => JsonSerializer.Serialize(new
    {
        labels = Figures.RunsPerDay.Select(d => d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        datasets = Figures.Statuses.Select(status => new { status, data = Figures.RunsPerDay.Select(d => d.ByStatus.GetValueOrDefault(status)) }),
    });

    public string RunsByLanguageJson => JsonSerializer.Serialize(new
    {
        labels = Figures.RunsByLanguage.Select(l => l.Language),
        data = Figures.RunsByLanguage.Select(l => l.Runs),
    });

    public async Task OnGetAsync() => Figures = await dashboard.GetFiguresAsync(HttpContext.RequestAborted);

    public static string Percent(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);
}
