using System.Diagnostics;
using System.Globalization;
using CliWrap;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// One started sandbox. It is started first (cold runs immediately before their hand-over,
/// pre-started ones ahead of time) and then handed its stdin bytes exactly once; the limits, the
/// clock and the CPU accounting count from that hand-over. Disposing it kills anything left, removes
/// its cgroup and host folder, and returns its uid.
/// </summary>
internal sealed class SandboxProcess : IDisposable
{
    private static readonly TimeSpan CpuPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(5);

    private readonly SandboxEnvironment _environment;
    private readonly RunCgroup? _cgroup;
    private readonly UidSlots.Lease _lease;
    private readonly string _hostDirectory;
    private readonly TaskCompletionSource<byte[]> _stdin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _finished = new();
    private BoundedOutputCapture _stdout = null!;
    private BoundedOutputCapture _stderr = null!;
    private CommandTask<CommandResult> _task = null!;
    private EffectiveLimits _limits;
    private RunInput? _typed;
    private int _stopReason;
    private int _handedOver;
    private bool _startedBelowNormal;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SandboxProcess(SandboxEnvironment environment, RunCgroup? cgroup, UidSlots.Lease lease, string hostDirectory, EffectiveLimits limits)
    {
        _environment = environment;
        _cgroup = cgroup;
        _lease = lease;
        _hostDirectory = hostDirectory;
        _limits = limits;
    }

    private enum StopReason { None, WallTime, CpuTime, OutputCap, StoppedByPerson }

    /// <summary>The uid the box runs as (when the server is root).</summary>
    public int Uid => _lease.Uid;

    /// <summary>The host folder of this box; also the name of its cgroup.</summary>
    public string HostDirectory => _hostDirectory;

    /// <summary>Whether the process is still alive and waiting for its hand-over.</summary>
    public bool IsWaiting => !_task.Task.IsCompleted && Volatile.Read(ref _handedOver) == 0;

    /// <summary>
    /// Starts <paramref name="arguments"/> from the launcher thread; the box places itself in <paramref name="cgroup"/>.
    /// Takes ownership of the cgroup, the uid lease and the host folder, even when starting fails. A box
    /// started at a <paramref name="niceness"/> above 0 is raised to normal priority at its hand-over. A box
    /// that <paramref name="announcesReady"/> (a pre-started one) is <see cref="Ready"/> once it has said so.
    /// </summary>
    public static async Task<SandboxProcess> StartAsync(
        SandboxLauncher launcher, SandboxEnvironment environment, IReadOnlyList<string> arguments,
        string hostDirectory, RunCgroup? cgroup, UidSlots.Lease lease, EffectiveLimits limits, int niceness = 0, bool announcesReady = false)
    {
        var sandbox = new SandboxProcess(environment, cgroup, lease, hostDirectory, limits);
        if (!announcesReady) sandbox._ready.TrySetResult();
        try
        {
            await sandbox.LaunchAsync(launcher, arguments, niceness, announcesReady);
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    private async Task LaunchAsync(SandboxLauncher launcher, IReadOnlyList<string> arguments, int niceness, bool announcesReady)
    {
        _stdout = new BoundedOutputCapture(OutputStream.Stdout, () => _limits.StoredOutputBytesPerStream, () => Stop(StopReason.OutputCap));
        _stderr = new BoundedOutputCapture(OutputStream.Stderr, () => _limits.StoredOutputBytesPerStream, () => Stop(StopReason.OutputCap));
        var command = Cli.Wrap(arguments[0])
            .WithArguments(arguments.Skip(1))
            .WithWorkingDirectory(_hostDirectory)
            .WithStandardInputPipe(PipeSource.Create(WriteStdinAsync))
            .WithStandardOutputPipe(PipeTarget.Create(announcesReady ? ReadReadyThenOutputAsync : _stdout.ReadAsync))
            .WithStandardErrorPipe(PipeTarget.Create(_stderr.ReadAsync))
            .WithValidation(CommandResultValidation.None);
        // The box's first link puts itself into the run's cgroups (see SandboxCommandLine): the
        // launcher thread never joins them, so no server thread can be born inside a run's group.
        _task = await launcher.StartAsync(belowNormal =>
        {
            _startedBelowNormal = belowNormal;
            return command.ExecuteAsync();
        }, niceness);
    }

    /// <summary>
    /// Completes once a pre-started box's interpreter has started and waits for its code (the bootstrap's
    /// <see cref="SandboxBootstrap.ReadyLine"/>); fails if the box ends or prints anything else first.
    /// </summary>
    public Task Ready => _ready.Task;

    // Before its hand-over only the bootstrap itself writes to the box's stdout: its ready line, then nothing.
    private async Task ReadReadyThenOutputAsync(Stream source, CancellationToken cancellationToken)
    {
        var line = new byte[SandboxBootstrap.ReadyLine.Length];
        try
        {
            await source.ReadExactlyAsync(line, cancellationToken);
            if (line.AsSpan().SequenceEqual(SandboxBootstrap.ReadyLine)) _ready.TrySetResult();
            else _ready.TrySetException(new InvalidOperationException("the pre-started box printed something other than its ready line"));
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or OperationCanceledException)
        {
            _ready.TrySetException(new InvalidOperationException("the pre-started box ended before it was ready", exception));
        }
        await _stdout.ReadAsync(source, cancellationToken);
    }

    private async Task WriteStdinAsync(Stream destination, CancellationToken cancellationToken)
    {
        var bytes = await _stdin.Task.WaitAsync(cancellationToken);
        try
        {
            await destination.WriteAsync(bytes, cancellationToken);
            if (_typed is null) return;
            await destination.FlushAsync(cancellationToken);
            // Typed input follows the up-front bytes piece by piece; stdin closes when the person ends
            // their input (the reader completes) or the run ends.
            using var untilEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _finished.Token);
            await foreach (var piece in _typed.Typed.ReadAllAsync(untilEnd.Token))
            {
                await destination.WriteAsync(Utf8.GetBytes(piece), untilEnd.Token);
                await destination.FlushAsync(untilEnd.Token);
            }
        }
        catch (IOException)
        {
            // The program ended without reading all of its input: that is its business.
        }
        catch (OperationCanceledException)
        {
            // The run ended while input could still have come.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(false);

    /// <summary>
    /// Hands the sandbox its input and runs it to its end or its first limit.
    /// </summary>
    /// <param name="stdin">Everything for the process's stdin (for a pre-started one: header, code, then stdin).</param>
    /// <param name="limits">The run's limits; memory and processes may only be tightened from the start-time ones.</param>
    /// <param name="level">The isolation level to report.</param>
    /// <param name="output">Live output, or null.</param>
    /// <param name="typed">Input typed while the run is in flight, written after <paramref name="stdin"/>; null closes stdin after it.</param>
    /// <param name="endNonce">The nonce of the end markers the box will print (see <see cref="SandboxBootstrap"/>), or null.</param>
    /// <param name="rich">The nonce of the display records a Python box prints and where their items go (see <see cref="PythonDisplaySupport"/>), or null.</param>
    /// <param name="time">The clock the run's start is read from (its length is measured with a stopwatch).</param>
    /// <param name="cancellationToken">Stops the run (reported as killed).</param>
    public async Task<ExecutionResult> RunAsync(
        byte[] stdin, RunInput? typed, EffectiveLimits limits, SandboxLevel level, Action<OutputChunk>? output, string? endNonce,
        (string Nonce, RichOutputCollector Collector)? rich, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _handedOver, 1) == 1) throw new InvalidOperationException("A sandbox serves exactly one run.");
        _limits = limits;
        _typed = typed;
        // A box pre-started at low priority runs its snippet at normal priority: its uid is its own.
        if (_startedBelowNormal) NativeMethods.SetUserNiceness(_lease.Uid, 0);
        _cgroup?.Tighten(limits.MemoryBytes, limits.MaxProcesses);
        _stdout.Listener = output;
        _stderr.Listener = output;
        if (endNonce is not null)
        {
            _stdout.ExpectEndMarker(endNonce);
            _stderr.ExpectEndMarker(endNonce);
        }
        if (rich is { } display) _stdout.ExpectDisplayRecords(display.Nonce, display.Collector);
        var cpuBefore = _cgroup?.CpuTimeMs() ?? 0;

        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        _stdin.TrySetResult(stdin);
        using var stopRegistration = cancellationToken.Register(() => Stop(StopReason.StoppedByPerson));
        _ = WatchWallTimeAsync();
        _ = WatchCpuTimeAsync(cpuBefore);

        // The run is over when the box exits, or (sooner) when it has announced its end on both streams.
        var announced = Task.WhenAll(_stdout.Ended, _stderr.Ended);
        Task running = Task.WhenAny(_task.Task, announced);
        var ended = await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(limits.WallTimeMs) + EndGrace)) == running
            || await EndAfterForcedStopAsync(running);
        clock.Stop();
        await _finished.CancelAsync();
        typed?.End();

        long? cpuMs = _cgroup?.CpuTimeMs() is { } cpuAfter ? Math.Max(0, cpuAfter - cpuBefore) : null;
        var result = new ExecutionResult
        {
            Status = RunStatus.InternalError,
            Stdout = _stdout.Text,
            Stderr = _stderr.Text,
            StdoutTruncated = _stdout.Truncated,
            StderrTruncated = _stderr.Truncated,
            WallTimeMs = clock.ElapsedMilliseconds,
            CpuTimeMs = cpuMs,
            PeakMemoryBytes = _cgroup?.PeakMemoryBytes(),
            SandboxLevel = level,
            TypedInput = typed?.Transcript ?? "",
            Outputs = rich?.Collector.Outputs.ToArray() ?? [],
            OutputsOmitted = rich?.Collector.Omitted,
            StartedAt = startedAt,
            FinishedAt = startedAt.AddMilliseconds(clock.ElapsedMilliseconds),
        };
        if (!ended) return result with { Detail = "the sandbox did not end after it was killed" };

        var exitCode = announced.IsCompletedSuccessfully && Volatile.Read(ref _stopReason) == (int)StopReason.None
            ? await _stdout.Ended
            : (await _task).ExitCode;
        var signal = SignalFrom(exitCode, cpuMs);
        var status = Classify(exitCode, signal, cpuMs);
        return result with
        {
            Status = status,
            ExitCode = signal is null ? exitCode : null,
            Signal = signal,
            Detail = DetailFor(status),
        };
    }

    private async Task<bool> EndAfterForcedStopAsync(Task running)
    {
        Stop(StopReason.WallTime);
        return await Task.WhenAny(running, Task.Delay(EndGrace)) == running;
    }

    /// <summary>
    /// bubblewrap reports a child that died of signal N as exit code 128 + N, which a program can also
    /// exit with. SIGKILL and SIGXCPU cannot come from inside (the box's pid 1 ignores signals sent from
    /// its own namespace), so they count only with a cause we can see: our own stop, the memory
    /// cgroup's OOM kill, or the CPU limit. Otherwise <c>sys.exit(137)</c> is just an exit code.
    /// </summary>
    private int? SignalFrom(int exitCode, long? cpuMs)
    {
        if (exitCode is <= 128 or > 128 + 64) return null;
        var signal = exitCode - 128;
        if (signal is not (NativeMethods.SigKill or NativeMethods.SigXcpu)) return signal;
        var explained = Volatile.Read(ref _stopReason) != (int)StopReason.None
            || _cgroup?.WasOutOfMemory() == true
            || cpuMs >= _limits.CpuTimeMs;
        return explained ? signal : null;
    }

    private RunStatus Classify(int exitCode, int? signal, long? cpuMs)
    {
        switch ((StopReason)Volatile.Read(ref _stopReason))
        {
            case StopReason.WallTime:
            case StopReason.CpuTime:
                return RunStatus.TimedOut;
            case StopReason.OutputCap:
                return RunStatus.OutputLimit;
            case StopReason.StoppedByPerson:
                return RunStatus.Killed;
        }
        if (_cgroup?.WasOutOfMemory() == true) return RunStatus.MemoryLimit;
        if (signal is NativeMethods.SigKill or NativeMethods.SigXcpu && cpuMs >= _limits.CpuTimeMs) return RunStatus.TimedOut;
        if (signal is not null) return RunStatus.Killed;
        return exitCode == 0 ? RunStatus.Succeeded : RunStatus.Failed;
    }

    // Short and in people's units: the API and the command line show it as stored (pages word it themselves).
    private string? DetailFor(RunStatus status) => status switch
    {
        RunStatus.TimedOut when (StopReason)_stopReason == StopReason.WallTime => $"stopped at the wall-clock limit ({Seconds(_limits.WallTimeMs)})",
        RunStatus.TimedOut => $"stopped at the CPU-time limit ({Seconds(_limits.CpuTimeMs)})",
        RunStatus.OutputLimit => $"stopped at the output limit ({Size(_limits.StoredOutputBytesPerStream)} per stream)",
        RunStatus.MemoryLimit => $"stopped at the memory limit ({Size(_limits.MemoryBytes)})",
        RunStatus.Killed when (StopReason)_stopReason == StopReason.StoppedByPerson => "stopped",
        _ => null,
    };

    private static string Seconds(int ms) => (ms / 1000d).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };

    private async Task WatchWallTimeAsync()
    {
        try
        {
            await Task.Delay(_limits.WallTimeMs, _finished.Token);
            Stop(StopReason.WallTime);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // RLIMIT_CPU is per process; the cgroup's total catches a run that spreads its work over children.
    private async Task WatchCpuTimeAsync(long cpuBefore)
    {
        if (_cgroup is null || !_environment.HasCpuAccounting) return;
        using var timer = new PeriodicTimer(CpuPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_finished.Token))
            {
                if (_cgroup.CpuTimeMs() - cpuBefore >= _limits.CpuTimeMs)
                {
                    Stop(StopReason.CpuTime);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) != (int)StopReason.None) return;
        Kill();
    }

    private void Kill()
    {
        var pid = _task?.ProcessId ?? 0;
        if (_environment.Level == SandboxLevel.Bubblewrap)
        {
            // Killing bubblewrap takes down the box's pid 1 (--die-with-parent), and with it the whole
            // pid namespace; the cgroup kill catches anything caught mid-fork.
            NativeMethods.KillHard(pid);
            _cgroup?.KillAll();
            return;
        }
        try
        {
            if (pid > 0) Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
        }
        _cgroup?.KillAll();
    }

    public void Dispose()
    {
        if (_task is not null && !_task.Task.IsCompleted) Kill();
        _stdin.TrySetCanceled();
        _finished.Cancel();
        _cgroup?.Dispose();
        // A box's processes cannot leave its cgroup (they never see a writable cgroup file system), so a
        // removed cgroup means nothing of the box is left; without one (or if it could not be emptied and
        // removed) every process of the box's uid is looked for in /proc and killed.
        if (_environment is { Level: SandboxLevel.Bubblewrap, RunningAsRoot: true } && _cgroup is not { IsRemoved: true })
        {
            UidSlots.KillEverythingOwnedBy(_lease.Uid);
        }
        try
        {
            // Recursive delete removes symlinks themselves and never follows them.
            if (Directory.Exists(_hostDirectory)) Directory.Delete(_hostDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
        _lease.Dispose();
        _finished.Dispose();
    }
}
