using System.Diagnostics;
using System.Text;
using CliWrap;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution;

/// <summary>
/// Runs each snippet in a fresh bubblewrap sandbox of its own: empty environment, read-only system,
/// a private sized scratch directory, no network, its own pid namespace, an unused uid per concurrent
/// slot when the server is root, rlimits, and a cgroup per run where the machine allows. Without
/// bubblewrap (development only) it falls back to rlimits and says <c>unsandboxed</c>.
/// </summary>
public sealed class SandboxedExecutor : ICodeExecutor, IDisposable
{
    private readonly ExecutionOptions _options;
    private readonly LanguageCatalog _languages;
    private readonly SandboxEnvironment _environment;
    private readonly ILogger<SandboxedExecutor> _logger;
    private readonly SandboxLauncher _launcher = new();
    private readonly UidSlots _slots;
    private readonly string _runRoot;

    /// <summary>Creates the executor; detection of the machine's isolation is done by <paramref name="environment"/>.</summary>
    public SandboxedExecutor(
        IOptions<ExecutionOptions> options, LanguageCatalog languages, SandboxEnvironment environment,
        ILogger<SandboxedExecutor> logger)
    {
        _options = options.Value;
        _languages = languages;
        _environment = environment;
        _logger = logger;
        _slots = new UidSlots(_options.SandboxUidBase, _options.MaxConcurrentRuns);
        _runRoot = PrepareRunRoot(_options.RunDirectory);
    }

    /// <inheritdoc />
    public SandboxLevel Level => _environment.Level;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } refusal) return ExecutionResult.Rejected(refusal, Level);

        UidSlots.Lease lease;
        try
        {
            lease = await _slots.AcquireAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return StoppedBeforeStart();
        }
        using (lease)
        {
            if (cancellationToken.IsCancellationRequested) return StoppedBeforeStart();
            _languages.TryGetAvailable(request.Language, out var language);
            var limits = EffectiveLimits.From(_options, request.Limits);
            var runId = Guid.NewGuid().ToString("N");
            var runDirectory = Path.Combine(_runRoot, runId);
            RunCgroup? cgroup = null;
            try
            {
                var snippetFile = WriteSnippet(runDirectory, language.Definition.FileName, request.Code);
                cgroup = _environment.Cgroups?.Create(runId, limits.MemoryBytes, limits.MaxProcesses);
                var arguments = BuildArguments(snippetFile, language.Definition, limits, lease.Uid);
                using var run = new RunningSandbox(this, arguments, runDirectory, request.Stdin, limits, cgroup, output);
                return await run.RunAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.LogError(exception, "The sandbox failed to run a {Language} snippet", request.Language);
                var now = DateTimeOffset.UtcNow;
                return new ExecutionResult
                {
                    Status = RunStatus.InternalError, Detail = "the sandbox failed to start", SandboxLevel = Level,
                    StartedAt = now, FinishedAt = now,
                };
            }
            finally
            {
                cgroup?.Dispose();
                // Belt and braces: the pid namespace and the cgroup already took everything down.
                if (_environment is { Level: SandboxLevel.Bubblewrap, RunningAsRoot: true })
                {
                    UidSlots.KillEverythingOwnedBy(lease.Uid);
                }
                DeleteQuietly(runDirectory);
            }
        }
    }

    private string? Validate(ExecutionRequest request)
    {
        if (!_languages.TryGetAvailable(request.Language, out _))
        {
            return $"unknown or unavailable language '{request.Language}'";
        }
        if (Encoding.UTF8.GetByteCount(request.Code) > _options.MaxCodeBytes)
        {
            return $"code is larger than {_options.MaxCodeBytes} bytes";
        }
        if (Encoding.UTF8.GetByteCount(request.Stdin) > _options.MaxStdinBytes)
        {
            return $"stdin is larger than {_options.MaxStdinBytes} bytes";
        }
        return null;
    }

    private ExecutionResult StoppedBeforeStart()
    {
        var now = DateTimeOffset.UtcNow;
        return new ExecutionResult
        {
            Status = RunStatus.Killed, Detail = "stopped before it started", SandboxLevel = Level,
            StartedAt = now, FinishedAt = now,
        };
    }

    private IReadOnlyList<string> BuildArguments(string snippetFile, LanguageDefinition language, EffectiveLimits limits, int slotUid)
    {
        // RLIMIT_AS is per process and breaks runtimes that reserve address space (V8); where a memory
        // cgroup bounds the whole run it is not needed at all.
        long? addressSpace = !_environment.HasMemoryCgroup && language.AllowAddressSpaceLimit ? limits.MemoryBytes : null;
        if (_environment.BubblewrapPath is { } bubblewrap)
        {
            var asRoot = _environment.RunningAsRoot;
            return SandboxCommandLine.Bubblewrap(
                bubblewrap, snippetFile, language, limits, asRoot ? slotUid : null, limitProcesses: asRoot, addressSpace);
        }
        return SandboxCommandLine.Unsandboxed(language, limits, addressSpace);
    }

    private static string WriteSnippet(string runDirectory, string fileName, string code)
    {
        // A fresh folder the box never sees writable: the host side only ever writes here, so there is
        // no path a snippet could have planted (a symlink) for the server to follow.
        Directory.CreateDirectory(runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var path = Path.Combine(runDirectory, fileName);
        using (var file = new FileStream(path, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
               }))
        {
            file.Write(new UTF8Encoding(false).GetBytes(code));
        }
        return path;
    }

    private static string PrepareRunRoot(string? configured)
    {
        var root = configured ?? Path.Combine(Path.GetTempPath(), $"codechatter-runs-{NativeMethods.GetEffectiveUserId()}");
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        if (new DirectoryInfo(root).LinkTarget is not null)
        {
            throw new InvalidOperationException($"The run directory {root} is a symbolic link; refusing to use it.");
        }
        return root;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            // Recursive delete removes symlinks themselves and never follows them.
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose() => _launcher.Dispose();

    private enum StopReason { None, WallTime, CpuTime, OutputCap, StoppedByPerson }

    /// <summary>One run in flight: its process, its timers and the reason it was stopped, if any.</summary>
    private sealed class RunningSandbox : IDisposable
    {
        private static readonly TimeSpan CpuPollInterval = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(5);

        private readonly SandboxedExecutor _owner;
        private readonly IReadOnlyList<string> _arguments;
        private readonly string _workingDirectory;
        private readonly string _stdin;
        private readonly EffectiveLimits _limits;
        private readonly RunCgroup? _cgroup;
        private readonly BoundedOutputCapture _stdout;
        private readonly BoundedOutputCapture _stderr;
        private readonly CancellationTokenSource _finished = new();
        private int _stopReason;
        private int _processId;

        public RunningSandbox(
            SandboxedExecutor owner, IReadOnlyList<string> arguments, string workingDirectory, string stdin,
            EffectiveLimits limits, RunCgroup? cgroup, Action<OutputChunk>? output)
        {
            _owner = owner;
            _arguments = arguments;
            _workingDirectory = workingDirectory;
            _stdin = stdin;
            _limits = limits;
            _cgroup = cgroup;
            _stdout = new BoundedOutputCapture(OutputStream.Stdout, limits.MaxOutputBytesPerStream, output, () => Stop(StopReason.OutputCap));
            _stderr = new BoundedOutputCapture(OutputStream.Stderr, limits.MaxOutputBytesPerStream, output, () => Stop(StopReason.OutputCap));
        }

        public async Task<ExecutionResult> RunAsync(CancellationToken cancellationToken)
        {
            var command = Cli.Wrap(_arguments[0])
                .WithArguments(_arguments.Skip(1))
                .WithWorkingDirectory(_workingDirectory)
                .WithStandardInputPipe(PipeSource.FromBytes(Encoding.UTF8.GetBytes(_stdin)))
                .WithStandardOutputPipe(PipeTarget.Create(_stdout.ReadAsync))
                .WithStandardErrorPipe(PipeTarget.Create(_stderr.ReadAsync))
                .WithValidation(CommandResultValidation.None);

            var startedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var task = await _owner._launcher.StartAsync(() => Launch(command));
            Volatile.Write(ref _processId, task.ProcessId);
            if (_cgroup is not null && _owner._environment.Cgroups is { PlacesAtFork: false })
            {
                _cgroup.AddProcess(task.ProcessId);
            }

            using var stopRegistration = cancellationToken.Register(() => Stop(StopReason.StoppedByPerson));
            _ = WatchWallTimeAsync();
            _ = WatchCpuTimeAsync();

            Task running = task.Task;
            var ended = await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(_limits.WallTimeMs) + EndGrace)) == running
                || await EndAfterForcedStopAsync(running);
            clock.Stop();
            _finished.Cancel();
            if (!ended)
            {
                return Result(RunStatus.InternalError, null, null, startedAt, clock.ElapsedMilliseconds, "the sandbox did not end after it was killed");
            }

            var exitCode = (await task).ExitCode;
            int? signal = exitCode is > 128 and <= 128 + 64 ? exitCode - 128 : null;
            var status = Classify(exitCode, signal);
            return Result(status, signal is null ? exitCode : null, signal, startedAt, clock.ElapsedMilliseconds, DetailFor(status));
        }

        private CommandTask<CommandResult> Launch(Command command)
        {
            if (_cgroup is null || _owner._environment.Cgroups is not { PlacesAtFork: true })
            {
                return command.ExecuteAsync();
            }
            _cgroup.JoinCurrentThread();
            try
            {
                return command.ExecuteAsync();
            }
            finally
            {
                _cgroup.LeaveCurrentThread();
            }
        }

        private async Task<bool> EndAfterForcedStopAsync(Task task)
        {
            Stop(StopReason.WallTime);
            return await Task.WhenAny(task, Task.Delay(EndGrace)) == task;
        }

        private RunStatus Classify(int exitCode, int? signal)
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
            const int sigXcpu = 24;
            if (signal == sigXcpu || (signal == NativeMethods.SigKill && CpuTimeMs() >= _limits.CpuTimeMs))
            {
                return RunStatus.TimedOut;
            }
            if (signal is not null) return RunStatus.Killed;
            return exitCode == 0 ? RunStatus.Succeeded : RunStatus.Failed;
        }

        private string? DetailFor(RunStatus status) => status switch
        {
            RunStatus.TimedOut when (StopReason)_stopReason == StopReason.WallTime => $"stopped after the wall-clock limit of {_limits.WallTimeMs} ms",
            RunStatus.TimedOut => $"stopped after the CPU-time limit of {_limits.CpuTimeMs} ms",
            RunStatus.OutputLimit => $"output passed the limit of {_limits.MaxOutputBytesPerStream} bytes per stream",
            RunStatus.MemoryLimit => $"memory passed the limit of {_limits.MemoryBytes} bytes",
            RunStatus.Killed when (StopReason)_stopReason == StopReason.StoppedByPerson => "stopped",
            _ => null,
        };

        private ExecutionResult Result(RunStatus status, int? exitCode, int? signal, DateTimeOffset startedAt, long wallMs, string? detail) => new()
        {
            Status = status,
            ExitCode = exitCode,
            Signal = signal,
            Stdout = _stdout.Text,
            Stderr = _stderr.Text,
            StdoutTruncated = _stdout.Truncated,
            StderrTruncated = _stderr.Truncated,
            WallTimeMs = wallMs,
            CpuTimeMs = CpuTimeMs(),
            PeakMemoryBytes = _cgroup?.PeakMemoryBytes(),
            SandboxLevel = _owner.Level,
            Detail = detail,
            StartedAt = startedAt,
            FinishedAt = startedAt.AddMilliseconds(wallMs),
        };

        private long? CpuTimeMs() => _cgroup?.CpuTimeMs();

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
        private async Task WatchCpuTimeAsync()
        {
            if (_cgroup is null || _owner._environment.HasCpuAccounting is false) return;
            using var timer = new PeriodicTimer(CpuPollInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(_finished.Token))
                {
                    if (_cgroup.CpuTimeMs() >= _limits.CpuTimeMs)
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
            var pid = Volatile.Read(ref _processId);
            if (_owner._environment.Level == SandboxLevel.Bubblewrap)
            {
                // Killing bubblewrap takes down the box's pid 1 (--die-with-parent), and with it the
                // whole pid namespace; the cgroup kill catches anything mid-fork.
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

        public void Dispose() => _finished.Dispose();
    }
}
