using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using CodeChatter.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Core.Observability;

/// <summary>
/// The app's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>: what an operator's
/// monitoring scrapes from <c>/metrics</c>. Counts and histograms are recorded by one-line calls where runs
/// end; queue depth, pool sizes and live sessions are read from the services that hold them at each scrape.
/// </summary>
public sealed class CodeChatterMetrics : IDisposable
{
    /// <summary>The meter's name (what a metrics exporter subscribes to).</summary>
    public const string MeterName = "CodeChatter";

    // Runs take milliseconds to tens of seconds: buckets from 5 ms to the default 10 s wall limit and beyond.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // A run's steps take from a fraction of a millisecond (a cached check) to a box's whole start.
    private static readonly double[] PhaseBuckets = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _sandboxStartFailures;
    private readonly Histogram<double> _phases;

    /// <summary>Creates the instruments.</summary>
    /// <param name="services">Where the observed state is read at each scrape; a service that is not registered reads as nothing.</param>
    /// <param name="meterFactory">The host's meter factory; a meter of its own when null (tests, tools).</param>
    public CodeChatterMetrics(IServiceProvider services, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _runs = _meter.CreateCounter<long>("codechatter.runs", "{run}", "Runs that ended, by status and language.");
        _runDuration = _meter.CreateHistogram<double>("codechatter.run.duration", "s",
            "Wall-clock time of runs that started, by status and language.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _queueWait = _meter.CreateHistogram<double>("codechatter.run.queue_wait", "s",
            "Time a run waited for one of the machine's run slots.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _sandboxStartFailures = _meter.CreateCounter<long>("codechatter.sandbox.start_failures", "{failure}",
            "Sandboxes that failed to start (the run ended as internal_error), by language.");
        _phases = _meter.CreateHistogram<double>("codechatter.run.phase.duration", "s",
            "Where the time of a run goes, step by step (see RunPhases): what to look at when runs get slower.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PhaseBuckets });
        _meter.CreateObservableGauge("codechatter.run.queue.depth",
            () => services.GetService<IRunLoad>()?.Waiting ?? 0, "{run}", "Runs waiting for a run slot now.");
        _meter.CreateObservableGauge("codechatter.runs.active",
            () => services.GetService<IRunLoad>()?.Running ?? 0, "{run}", "Runs holding a run slot now.");
        _meter.CreateObservableGauge("codechatter.sandbox.prestarted", () => ObservePrestarted(services),
            "{sandbox}", "Pre-started sandboxes waiting for code now, by language.");
        _meter.CreateObservableGauge("codechatter.sessions.live",
            () => services.GetService<ISessionRunner>()?.List().Count ?? 0, "{session}", "Live conversation sessions now.");
    }

    /// <summary>Records a run's end: its status, its language and, when it ran, its wall-clock time.</summary>
    public void RunFinished(string language, ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tags = new TagList { { "status", result.Status.ToWireName() }, { "language", language } };
        _runs.Add(1, tags);
        if (result.Status != RunStatus.Rejected) _runDuration.Record(result.WallTimeMs / 1000.0, tags);
    }

    /// <summary>Records how long a run waited for a run slot.</summary>
    public void QueueWaited(TimeSpan wait) => _queueWait.Record(wait.TotalSeconds);

    /// <summary>Records how long one step of a run took, from <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) to now.</summary>
    /// <param name="phase">One of <see cref="RunPhases"/>.</param>
    /// <param name="startTimestamp">When the step began.</param>
    public void PhaseTook(string phase, long startTimestamp) =>
        _phases.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("phase", phase));

    /// <summary>Records a sandbox that failed to start.</summary>
    public void SandboxStartFailed(string language) => _sandboxStartFailures.Add(1, new KeyValuePair<string, object?>("language", language));

    private static IEnumerable<Measurement<int>> ObservePrestarted(IServiceProvider services)
    {
        if (services.GetService<ICodeExecutor>() is not SandboxedExecutor executor) return [];
        return executor.PrestartedByLanguage.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("language", pair.Key)));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
