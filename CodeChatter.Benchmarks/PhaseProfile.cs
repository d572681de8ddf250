using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeChatter.Benchmarks;

/// <summary>
/// Where a run's time goes, read from the app's own <c>/metrics</c>: the sums and counts of
/// <c>codechatter.run.phase.duration</c> (by phase) and of ASP.NET Core's request duration for
/// <c>POST /api/runs</c>, taken before and after a measurement, give each step's mean over it.
/// </summary>
internal sealed partial class PhaseProfile
{
    private readonly Dictionary<string, (double Sum, double Count)> _series;

    private PhaseProfile(Dictionary<string, (double Sum, double Count)> series) => _series = series;

    /// <summary>The app's histogram sums and counts now.</summary>
    public static async Task<PhaseProfile> TakeAsync(Uri appAddress)
    {
        using var client = new HttpClient { BaseAddress = appAddress };
        var text = await client.GetStringAsync("/metrics");
        var series = new Dictionary<string, (double Sum, double Count)>(StringComparer.Ordinal);
        foreach (Match line in SeriesLine().Matches(text))
        {
            var key = Key(line.Groups["name"].Value, line.Groups["labels"].Value);
            if (key is null) continue;
            var value = double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            var (sum, count) = series.GetValueOrDefault(key);
            series[key] = line.Groups["kind"].Value == "sum" ? (sum + value, count) : (sum, count + value);
        }
        return new PhaseProfile(series);
    }

    /// <summary>Each phase's mean in milliseconds and its count per run between <paramref name="before"/> and <paramref name="after"/>, the request itself first.</summary>
    public static IReadOnlyList<(string Phase, double MeanMs, double PerRequest)> Between(PhaseProfile before, PhaseProfile after)
    {
        var requests = after.Count(RequestKey) - before.Count(RequestKey);
        var phases = new List<(string, double, double)>();
        foreach (var key in after._series.Keys.OrderBy(k => k == RequestKey ? 0 : 1).ThenBy(PhaseOrder))
        {
            var count = after.Count(key) - before.Count(key);
            if (count <= 0) continue;
            var sum = after._series[key].Sum - before._series.GetValueOrDefault(key).Sum;
            phases.Add((key, sum / count * 1000, requests > 0 ? count / requests : double.NaN));
        }
        return phases;
    }

    private const string RequestKey = "http POST /api/runs";

    // The order a run goes through them.
    private static readonly string[] Order =
        ["token_check", "store_message", "admission", "attachments", "box_ready", "cold_start", "run", "storage_quota", "store_result", "read_back", "prestart", "cleanup"];

    private static int PhaseOrder(string key) => Array.IndexOf(Order, key) is var index and >= 0 ? index : Order.Length;

    private double Count(string key) => _series.GetValueOrDefault(key).Count;

    private static string? Key(string name, string labels)
    {
        if (name == "codechatter_run_phase_duration_seconds") return LabelValue(labels, "phase");
        if (name == "http_server_request_duration_seconds" && LabelValue(labels, "http_route") == "/api/runs" && LabelValue(labels, "http_request_method") == "POST")
        {
            return RequestKey;
        }
        return null;
    }

    private static string? LabelValue(string labels, string label) =>
        Regex.Match(labels, label + "=\"([^\"]*)\"") is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^(?<name>[a-z_]+)_(?<kind>sum|count)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
