using System.Diagnostics;

namespace CodeChatter.Benchmarks;

/// <summary>Latency samples in milliseconds, with the percentiles the report prints.</summary>
internal sealed class LatencySample(IReadOnlyList<double> milliseconds)
{
    private readonly double[] _sorted = milliseconds.Order().ToArray();

    public int Count => _sorted.Length;
    public double Median => Percentile(50);
    public double P90 => Percentile(90);
    public double P95 => Percentile(95);
    public double P99 => Percentile(99);

    public double Percentile(double percent)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length) - 1;
        return _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)];
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="count"/> times, one after the other, after a short warm-up.</summary>
    public static async Task<LatencySample> MeasureAsync(int count, Func<Task> action, int warmUp = 5)
    {
        for (var i = 0; i < warmUp; i++) await action();
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new LatencySample(samples);
    }
}

internal static class Throughput
{
    /// <summary>Completions per second of <paramref name="action"/> run by <paramref name="clients"/> concurrent loops for <paramref name="duration"/>.</summary>
    public static Task<double> MeasureAsync(int clients, TimeSpan duration, Func<Task> action) =>
        MeasureAsync(clients, duration, _ => action());

    /// <summary>As above, with each loop's own index (0 to <paramref name="clients"/> - 1), for clients that each use their own conversation.</summary>
    public static async Task<double> MeasureAsync(int clients, TimeSpan duration, Func<int, Task> action)
    {
        var completed = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, clients).Select(async client =>
        {
            while (clock.Elapsed < duration)
            {
                await action(client);
                Interlocked.Increment(ref completed);
            }
        });
        await Task.WhenAll(loops);
        return completed / clock.Elapsed.TotalSeconds;
    }
}
