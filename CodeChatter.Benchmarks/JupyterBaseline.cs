using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Benchmarks;

/// <summary>The execute round trip of a warm Jupyter kernel on the same machine, in milliseconds.</summary>
internal sealed record JupyterRoundTrip(int Count, double Median, double P95, long? KernelResidentKib);

/// <summary>
/// Runs <c>jupyter_roundtrip.py</c> (Debian's ipykernel and jupyter_client, installed by
/// <c>scripts/prerequisites.sh bench</c>): one ipykernel, warmed up, then <c>print(1)</c> executed one at a
/// time, each timed until its execute_reply and the kernel's idle status after the output have arrived.
/// </summary>
internal static class JupyterBaseline
{
    public static async Task<JupyterRoundTrip> MeasureAsync(string repositoryRoot, int count, int warmUp)
    {
        var script = Path.Combine(repositoryRoot, "CodeChatter.Benchmarks", "jupyter_roundtrip.py");
        var result = await Cli.Wrap("/usr/bin/python3")
            .WithArguments([script, count.ToString(System.Globalization.CultureInfo.InvariantCulture), warmUp.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            // ipykernel's debugger warns about frozen modules on every start; that is noise here.
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var last = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (result.ExitCode != 0 || last is null)
        {
            throw new InvalidOperationException($"the Jupyter baseline failed (exit {result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        }
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        return new JupyterRoundTrip(
            root.GetProperty("count").GetInt32(),
            root.GetProperty("median_ms").GetDouble(),
            root.GetProperty("p95_ms").GetDouble(),
            root.GetProperty("kernel_rss_kib").ValueKind == JsonValueKind.Number ? root.GetProperty("kernel_rss_kib").GetInt64() : null);
    }
}
