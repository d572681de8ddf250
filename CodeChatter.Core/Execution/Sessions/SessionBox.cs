using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// One session's long-lived sandbox: the same bubblewrap chain, uid, cgroup and sized scratch as a
/// fresh box, running a session driver (see <see cref="SessionDrivers"/>) that takes one message at a
/// time. Its stdin carries only the server's frames; its stdout and stderr are read for its whole life
/// and routed to the message running now. Disposing it kills everything in it, removes its cgroup and
/// host folder, and returns its uid.
/// </summary>
internal sealed class SessionBox : IDisposable
{
    private static readonly TimeSpan CpuPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly SandboxEnvironment _environment;
    private readonly RunCgroup? _cgroup;
    private readonly UidSlots.Lease _lease;
    private readonly string _hostDirectory;
    private readonly SessionOutputRouter _stdout = new();
    private readonly SessionOutputRouter _stderr = new();
    private readonly TaskCompletionSource<Stream> _stdin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closeStdin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<RichOutputCollector>? _richOutput;
    private CommandTask<CommandResult> _task = null!;
    private int _boxInit;
    private int _killed;
    private int _disposed;
    private string? _endedBecause;

    private SessionBox(SandboxEnvironment environment, RunCgroup? cgroup, UidSlots.Lease lease, string hostDirectory)
    {
        _environment = environment;
        _cgroup = cgroup;
        _lease = lease;
        _hostDirectory = hostDirectory;
    }

    private enum StopReason { None, WallTime, CpuTime, OutputCap, StoppedByPerson }

    /// <summary>The uid the box runs as (when the server is root).</summary>
    public int Uid => _lease.Uid;

    /// <summary>The host folder of this box; also the name of its cgroup.</summary>
    public string HostDirectory => _hostDirectory;

    /// <summary>The session's <c>inputs/</c> folder (its conversation's attachments), brought in step before each message.</summary>
    public InputFolder? Inputs { get; private init; }

    /// <summary>Whether the box still runs and was not killed.</summary>
    public bool IsAlive => !_task.Task.IsCompleted && Volatile.Read(ref _killed) == 0;

    /// <summary>Memory the session uses now, where the machine accounts for it.</summary>
    public long? MemoryBytesNow() => _cgroup?.MemoryBytesNow();

    /// <summary>Starts the box from the launcher thread. Takes ownership of the cgroup, lease and folder, even on failure.</summary>
    /// <param name="launcher">The thread boxes are started from.</param>
    /// <param name="environment">The isolation this machine gives.</param>
    /// <param name="arguments">The box's whole argv.</param>
    /// <param name="hostDirectory">The box's host folder.</param>
    /// <param name="cgroup">The box's cgroup, or null.</param>
    /// <param name="lease">The box's uid.</param>
    /// <param name="inputs">The box's <c>inputs/</c> folder in its host folder, bound read-only into it.</param>
    /// <param name="richOutput">
    /// For a driver that prints display records (Python): a new collector, with the per-message caps, for
    /// each message; null when the driver prints none (its output is then all text).
    /// </param>
    public static async Task<SessionBox> StartAsync(
        SandboxLauncher launcher, SandboxEnvironment environment, IReadOnlyList<string> arguments,
        string hostDirectory, RunCgroup? cgroup, UidSlots.Lease lease, Func<RichOutputCollector>? richOutput, InputFolder? inputs = null)
    {
        var box = new SessionBox(environment, cgroup, lease, hostDirectory) { _richOutput = richOutput, Inputs = inputs };
        try
        {
            var command = Cli.Wrap(arguments[0])
                .WithArguments(arguments.Skip(1))
                .WithWorkingDirectory(hostDirectory)
                .WithStandardInputPipe(PipeSource.Create(box.HoldStdinAsync))
                .WithStandardOutputPipe(PipeTarget.Create(box._stdout.ReadAsync))
                .WithStandardErrorPipe(PipeTarget.Create(box._stderr.ReadAsync))
                .WithValidation(CommandResultValidation.None);
            box._task = await launcher.StartAsync(() => command.ExecuteAsync());
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    // The pipe stays open for the box's whole life; frames are written to it directly.
    private async Task HoldStdinAsync(Stream destination, CancellationToken cancellationToken)
    {
        _stdin.TrySetResult(destination);
        try
        {
            await _closeStdin.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>What one message gave and what it did to the session.</summary>
    public sealed record Outcome(ExecutionResult Result, SessionEvent Event);

    /// <summary>
    /// Runs one message: writes its frames, routes the output to it, applies its wall, CPU and output
    /// limits (interrupting on the first, killing the box if it does not come back within a second)
    /// and reads its end from the driver's marker, or from the box's exit.
    /// </summary>
    public async Task<Outcome> RunAsync(
        int counter, byte[] code, byte[] stdin, RunInput? typed, EffectiveLimits limits, SandboxLevel level,
        Action<OutputChunk>? output, TimeProvider time, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var stopReason = (int)StopReason.None;
        var graceOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Interrupt(StopReason reason)
        {
            if (Interlocked.CompareExchange(ref stopReason, (int)reason, (int)StopReason.None) != (int)StopReason.None) return;
            SendInterrupt();
            _ = Task.Delay(InterruptGrace).ContinueWith(_ => graceOver.TrySetResult(), TaskScheduler.Default);
        }

        var stdoutCapture = new BoundedOutputCapture(OutputStream.Stdout, () => limits.StoredOutputBytesPerStream, () => Interrupt(StopReason.OutputCap));
        var stderrCapture = new BoundedOutputCapture(OutputStream.Stderr, () => limits.StoredOutputBytesPerStream, () => Interrupt(StopReason.OutputCap));
        stdoutCapture.Listener = output;
        stderrCapture.Listener = output;
        stdoutCapture.ExpectEndMarker(nonce);
        stderrCapture.ExpectEndMarker(nonce);
        var rich = _richOutput?.Invoke();
        if (rich is not null) stdoutCapture.ExpectDisplayRecords(nonce, rich);
        _stdout.Attach(stdoutCapture);
        _stderr.Attach(stderrCapture);

        var cpuBefore = _cgroup?.CpuTimeMs() ?? 0;
        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var finished = new CancellationTokenSource();
        var feeding = FeedAsync(SessionDrivers.MessageFrame(nonce, counter, code), stdin, typed, finished.Token);
        using var stopRegistration = cancellationToken.Register(() => Interrupt(StopReason.StoppedByPerson));
        _ = WatchWallTimeAsync(limits.WallTimeMs, () => Interrupt(StopReason.WallTime), finished.Token);
        _ = WatchCpuTimeAsync(cpuBefore, limits.CpuTimeMs, () => Interrupt(StopReason.CpuTime), finished.Token);

        var announced = Task.WhenAll(stdoutCapture.Ended, stderrCapture.Ended);
        await Task.WhenAny(announced, _task.Task, graceOver.Task);
        clock.Stop();
        await finished.CancelAsync();
        typed?.End();

        var lostState = !announced.IsCompletedSuccessfully;
        if (lostState)
        {
            // No end from the driver: it did not come back from the interrupt, or the box is gone.
            if (!_task.Task.IsCompleted) Kill(null);
            await WaitForExitAsync();
        }
        else if (!feeding.IsCompleted && await Task.WhenAny(feeding, Task.Delay(InterruptGrace)) != feeding)
        {
            // The driver reported its end but does not take the end of this message's input: it is
            // not in a state to run another message.
            Kill("the session stopped reading its input");
            await WaitForExitAsync();
        }
        var outOfMemory = _cgroup?.WasOutOfMemory() == true;
        if (outOfMemory && !_task.Task.IsCompleted)
        {
            Kill(null);
            await WaitForExitAsync();
        }
        _stdout.Detach();
        _stderr.Detach();

        long? cpuMs = _cgroup?.CpuTimeMs() is { } cpuAfter ? Math.Max(0, cpuAfter - cpuBefore) : null;
        var result = new ExecutionResult
        {
            Status = RunStatus.InternalError,
            Stdout = stdoutCapture.Text,
            Stderr = stderrCapture.Text,
            StdoutTruncated = stdoutCapture.Truncated,
            StderrTruncated = stderrCapture.Truncated,
            WallTimeMs = clock.ElapsedMilliseconds,
            CpuTimeMs = cpuMs,
            PeakMemoryBytes = _cgroup?.PeakMemoryBytes(),
            SandboxLevel = level,
            TypedInput = typed?.Transcript ?? "",
            Outputs = rich?.Outputs.ToArray() ?? [],
            OutputsOmitted = rich?.Omitted,
            StartedAt = startedAt,
            FinishedAt = startedAt.AddMilliseconds(clock.ElapsedMilliseconds),
        };
        var reason = (StopReason)Volatile.Read(ref stopReason);
        if (outOfMemory)
        {
            return new(result with
            {
                Status = RunStatus.MemoryLimit, Signal = NativeMethods.SigKill,
                Detail = $"stopped at the memory limit ({Size(limits.MemoryBytes)}); the session ended and its state was lost",
            }, SessionEvent.EndedByMemory);
        }
        if (!lostState && _endedBecause is null)
        {
            var exitCode = await stdoutCapture.Ended;
            var status = reason switch
            {
                StopReason.WallTime or StopReason.CpuTime => RunStatus.TimedOut,
                StopReason.OutputCap => RunStatus.OutputLimit,
                StopReason.StoppedByPerson => RunStatus.Killed,
                _ => exitCode == 0 ? RunStatus.Succeeded : RunStatus.Failed,
            };
            var detail = reason switch
            {
                StopReason.None => null,
                StopReason.StoppedByPerson => "interrupted; the session kept its state",
                _ => $"interrupted at {LimitName(reason, limits)}; the session kept its state",
            };
            return new(result with
            {
                Status = status, ExitCode = reason == StopReason.None ? exitCode : null,
                Signal = reason == StopReason.None ? null : NativeMethods.SigInt, Detail = detail,
            }, SessionEvent.Continued);
        }
        if (reason != StopReason.None)
        {
            var status = reason switch
            {
                StopReason.StoppedByPerson => RunStatus.Killed,
                StopReason.OutputCap => RunStatus.OutputLimit,
                _ => RunStatus.TimedOut,
            };
            var what = reason == StopReason.StoppedByPerson ? "stopped" : $"stopped at {LimitName(reason, limits)}";
            return new(result with
            {
                Status = status, Signal = NativeMethods.SigKill,
                Detail = $"{what}; it did not stop within a second of the interrupt, so the session was restarted and its state lost",
            }, SessionEvent.KilledStateLost);
        }
        if (_endedBecause is { } because)
        {
            return new(result with { Status = RunStatus.Killed, Signal = NativeMethods.SigKill, Detail = $"{because}; its state was lost" },
                SessionEvent.KilledStateLost);
        }
        // The interpreter itself exited (exit(), process.exit, exit): the session is over.
        var interpreterExit = _task.Task.IsCompletedSuccessfully ? _task.Task.Result.ExitCode : -1;
        return new(result with
        {
            Status = interpreterExit == 0 ? RunStatus.Succeeded : RunStatus.Failed,
            ExitCode = interpreterExit,
            Detail = "the interpreter exited; the session ended",
        }, SessionEvent.EndedByExit);
    }

    private async Task FeedAsync(byte[] messageFrame, byte[] stdin, RunInput? typed, CancellationToken finished)
    {
        try
        {
            var pipe = await _stdin.Task;
            await WriteAsync(pipe, messageFrame);
            if (stdin.Length > 0) await WriteAsync(pipe, SessionDrivers.InputFrame(stdin));
            if (typed is not null)
            {
                try
                {
                    await foreach (var piece in typed.Typed.ReadAllAsync(finished))
                    {
                        await WriteAsync(pipe, SessionDrivers.InputFrame(Utf8.GetBytes(piece)));
                    }
                }
                catch (OperationCanceledException)
                {
                    // The message ended before its input did.
                }
            }
            await WriteAsync(pipe, SessionDrivers.EndFrame);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The box is gone.
        }
    }

    // Never with the person's cancellation: a frame half written would confuse the driver.
    private static async Task WriteAsync(Stream pipe, byte[] frame)
    {
        await pipe.WriteAsync(frame);
        await pipe.FlushAsync();
    }

    private static async Task WatchWallTimeAsync(int wallTimeMs, Action interrupt, CancellationToken finished)
    {
        try
        {
            await Task.Delay(wallTimeMs, finished);
            interrupt();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The session's cgroup holds only this message's work while it runs: its CPU delta is the message's.
    private async Task WatchCpuTimeAsync(long cpuBefore, int cpuTimeMs, Action interrupt, CancellationToken finished)
    {
        if (_cgroup is null || !_environment.HasCpuAccounting) return;
        using var timer = new PeriodicTimer(CpuPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(finished))
            {
                if (_cgroup.CpuTimeMs() - cpuBefore >= cpuTimeMs)
                {
                    interrupt();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// SIGINT to the process group of the box's pid 1 (it leads its own session, so its children get it
    /// too). The host pid of the box's pid 1 is bubblewrap's only child. Pid 1 only takes signals it
    /// handles: each driver installs a handler.
    /// </summary>
    private void SendInterrupt()
    {
        var init = BoxInit();
        if (init > 1) NativeMethods.InterruptGroup(init);
    }

    private int BoxInit()
    {
        var known = Volatile.Read(ref _boxInit);
        if (known > 0) return known;
        var bubblewrap = _task?.ProcessId ?? 0;
        if (bubblewrap <= 0) return 0;
        try
        {
            var children = File.ReadAllText($"/proc/{bubblewrap}/task/{bubblewrap}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length > 0 && int.TryParse(children[0], NumberStyles.None, CultureInfo.InvariantCulture, out var init))
            {
                Volatile.Write(ref _boxInit, init);
                return init;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }

    private async Task WaitForExitAsync()
    {
        try
        {
            await _task.Task.WaitAsync(ExitWait);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Kills the box (bubblewrap takes its pid namespace down with it); the message running, if any, reports <paramref name="because"/>.</summary>
    public void Kill(string? because)
    {
        if (because is not null) Interlocked.CompareExchange(ref _endedBecause, because, null);
        Interlocked.Exchange(ref _killed, 1);
        NativeMethods.KillHard(_task?.ProcessId ?? 0);
        _cgroup?.KillAll();
    }

    private static string LimitName(StopReason reason, EffectiveLimits limits) => reason switch
    {
        StopReason.WallTime => $"the wall-clock limit ({Seconds(limits.WallTimeMs)})",
        StopReason.CpuTime => $"the CPU-time limit ({Seconds(limits.CpuTimeMs)})",
        _ => $"the output limit ({Size(limits.StoredOutputBytesPerStream)} per stream)",
    };

    private static string Seconds(int ms) => (ms / 1000d).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>Ends the box for good: nothing of it is left (no process, no cgroup, no folder) and its uid is free again.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_task is not null && !_task.Task.IsCompleted) Kill(null);
        _closeStdin.TrySetResult();
        try
        {
            _task?.Task.Wait(ExitWait);
        }
        catch (AggregateException)
        {
        }
        _cgroup?.Dispose();
        if (_environment is { Level: SandboxLevel.Bubblewrap, RunningAsRoot: true })
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
    }
}
