using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CodeChatter.Core.Execution.Sandbox;
using CodeChatter.Core.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution;

/// <summary>
/// Runs each snippet in a fresh bubblewrap sandbox of its own: empty environment, read-only system,
/// a private sized scratch directory, no network, its own pid namespace, an unused uid per concurrent
/// slot when the server is root, rlimits, and a cgroup per run where the machine allows. Sandboxes may
/// be started ahead of time (same isolation, one run each). Without bubblewrap (development only) it
/// falls back to rlimits and says <c>unsandboxed</c>.
/// </summary>
public sealed class SandboxedExecutor : ICodeExecutor, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly ExecutionOptions _options;
    private readonly LanguageCatalog _languages;
    private readonly RunInputRules _rules;
    private readonly TimeProvider _time;
    private readonly SandboxEnvironment _environment;
    private readonly ILogger<SandboxedExecutor> _logger;
    private readonly SandboxLauncher _launcher = new();
    private readonly SandboxLauncher _prestarter = new("sandbox-prestarter");
    private readonly SandboxLauncher _cleaner = new("sandbox-cleaner");
    private readonly UidSlots _slots;
    private readonly string _runRoot;
    private readonly string? _seccompFilterPath;
    private readonly EffectiveLimits _defaultLimits;
    private readonly PrestartedSandboxPool? _pool;
    private readonly CodeChatterMetrics? _metrics;
    private int _prestartedRuns;
    private int _pendingCleanups;

    /// <summary>Creates the executor; detection of the machine's isolation is done by <paramref name="environment"/>.</summary>
    /// <param name="options">The limits and languages.</param>
    /// <param name="languages">Which configured languages this machine can run.</param>
    /// <param name="environment">The isolation this machine gives.</param>
    /// <param name="logger">Where sandbox failures are logged.</param>
    /// <param name="time">The clock results are stamped with; the system clock when null.</param>
    /// <param name="metrics">Where sandbox start failures are counted; nowhere when null.</param>
    public SandboxedExecutor(
        IOptions<ExecutionOptions> options, LanguageCatalog languages, SandboxEnvironment environment,
        ILogger<SandboxedExecutor> logger, TimeProvider? time = null, CodeChatterMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options.Value;
        _languages = languages;
        _rules = new RunInputRules(languages, options);
        _time = time ?? TimeProvider.System;
        _environment = environment;
        _logger = logger;
        _runRoot = PrepareRunRoot(_options.RunDirectory);
        RemoveStaleLeftovers();
        _seccompFilterPath = WriteSeccompFilter();
        _defaultLimits = EffectiveLimits.From(_options, null);
        var prestarted = environment.Level == SandboxLevel.Bubblewrap && _options.PrestartedSandboxesPerLanguage > 0
            ? languages.Available.Where(language => SandboxBootstrap.Supports(language.Definition)).Select(language => language.Id).ToArray()
            : [];
        // Waiting sandboxes and live sessions hold a uid each, on top of the runs in flight.
        _slots = new UidSlots(
            _options.SandboxUidBase,
            2 * _options.MaxConcurrentRuns + prestarted.Length * _options.PrestartedSandboxesPerLanguage + _options.MaxSessions,
            PrepareLockDirectory());
        if (prestarted.Length > 0)
        {
            _pool = new PrestartedSandboxPool(prestarted, _options.PrestartedSandboxesPerLanguage, StartWaitingAsync, logger);
        }
    }

    /// <inheritdoc />
    public SandboxLevel Level => _environment.Level;

    /// <summary>Runs served by a pre-started sandbox so far.</summary>
    internal int PrestartedRunCount => _prestartedRuns;

    /// <summary>The uid and host folder of each waiting sandbox (they legitimately exist between runs).</summary>
    internal IReadOnlyList<(int Uid, string HostDirectory)> WaitingSandboxes =>
        _pool?.Waiting.Select(sandbox => (sandbox.Uid, sandbox.HostDirectory)).ToArray() ?? [];

    /// <summary>Pre-started sandboxes waiting now, by language id (empty without a pool).</summary>
    public IReadOnlyDictionary<string, int> PrestartedByLanguage => _pool?.WaitingByLanguage ?? new Dictionary<string, int>();

    /// <summary>Whether the pool (if any) has every sandbox it keeps started and waiting.</summary>
    internal bool IsPrestartPoolFull => _pool is null or { IsFull: true };

    /// <summary>Waits until the pool has every sandbox it keeps started and waiting.</summary>
    internal async Task WaitUntilPrestartedAsync(TimeSpan timeout)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (!IsPrestartPoolFull)
        {
            if (_time.GetUtcNow() > deadline) throw new TimeoutException("the pre-started sandbox pool did not fill up");
            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_rules.FirstProblem(request) is { } refusal) return ExecutionResult.Rejected(refusal, Level, _time.GetUtcNow());
        if (cancellationToken.IsCancellationRequested) return StoppedBeforeStart();
        _languages.TryGetAvailable(request.Language, out var language);
        var limits = EffectiveLimits.From(_options, request.Limits);
        var code = Utf8.GetBytes(request.Code);
        var stdin = Utf8.GetBytes(request.Stdin);
        var readying = Stopwatch.GetTimestamp();
        try
        {
            SandboxProcess sandbox;
            SandboxProcess? waiting = null;
            byte[] input;
            string? endNonce = null;
            string? displayNonce = null;
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            // A pre-started box was made before its run's attachments were known: a run with some starts cold.
            var pooled = request.Inputs.Count == 0 && _pool is not null && _pool.TryTake(language.Id, out waiting);
            if (pooled)
            {
                Interlocked.Increment(ref _prestartedRuns);
                sandbox = waiting!;
                if (SandboxBootstrap.AnnouncesEnd(language.Definition)) endNonce = displayNonce = nonce;
                input = SandboxBootstrap.Handover(language.Definition, code, stdin, limits, _environment.RunningAsRoot, nonce);
            }
            else
            {
                sandbox = await StartColdAsync(language.Definition, code, request.Inputs, limits, nonce, cancellationToken);
                if (_environment.BubblewrapPath is not null && SandboxBootstrap.ColdArguments(language.Definition, nonce) is not null) displayNonce = nonce;
                input = stdin;
            }
            try
            {
                (string, RichOutputCollector)? rich = displayNonce is null ? null : (displayNonce, NewRichOutputCollector());
                _metrics?.PhaseTook(pooled ? RunPhases.BoxReady : RunPhases.ColdStart, readying);
                var running = Stopwatch.GetTimestamp();
                var result = await sandbox.RunAsync(input, request.Input, limits, Level, output, endNonce, rich, _time, cancellationToken);
                _metrics?.PhaseTook(RunPhases.Run, running);
                return result;
            }
            finally
            {
                CleanUpInBackground(sandbox);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return StoppedBeforeStart();
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "The sandbox failed to run a {Language} snippet", request.Language);
            _metrics?.SandboxStartFailed(request.Language);
            var now = _time.GetUtcNow();
            return new ExecutionResult
            {
                Status = RunStatus.InternalError, Detail = "the sandbox failed to start", SandboxLevel = Level,
                StartedAt = now, FinishedAt = now,
            };
        }
    }

    /// <summary>
    /// By the time a run's result exists its box has exited and its pid namespace is gone; removing the
    /// cgroup, sweeping the uid and deleting the host folder only has to happen before the uid is
    /// handed out again, so it is done off the caller's path, on a thread of its own: its short waits for
    /// the kernel to reap the box never hold a thread-pool thread a request needs.
    /// </summary>
    private void CleanUpInBackground(SandboxProcess sandbox)
    {
        Interlocked.Increment(ref _pendingCleanups);
        _ = _cleaner.StartAsync(() =>
        {
            var cleaning = Stopwatch.GetTimestamp();
            try
            {
                sandbox.Dispose();
                _metrics?.PhaseTook(RunPhases.Cleanup, cleaning);
            }
            catch (Exception exception)
            {
                _logger.LogError(exception, "Cleaning up after a run failed");
            }
            finally
            {
                Interlocked.Decrement(ref _pendingCleanups);
            }
            return true;
        });
    }

    /// <summary>Whether every finished run has been cleaned up (nothing of it is left on the host).</summary>
    internal bool IsCleanedUp => Volatile.Read(ref _pendingCleanups) == 0;

    /// <summary>A fresh collector with the per-message caps of rich output.</summary>
    internal RichOutputCollector NewRichOutputCollector() => new(
        _options.MaxImagesPerMessage, _options.MaxRichOutputBytesPerMessage, _options.OutputFiles.MaxFiles, _options.OutputFiles.MaxFileBytes);

    // Python runs cold through the same bootstrap as a pre-started box, reading the snippet file, so
    // display() and inline figures work in both; other languages run their configured command.
    private Task<SandboxProcess> StartColdAsync(
        LanguageDefinition language, byte[] code, IReadOnlyList<InputFile> inputs, EffectiveLimits limits, string nonce, CancellationToken cancellationToken) =>
        StartAsync(limits, cancellationToken, (hostDirectory, slotUid, procsFiles) =>
        {
            var snippetFile = WriteSnippet(hostDirectory, language.FileName, code);
            string? inputsDirectory = null;
            if (inputs.Count > 0)
            {
                // Unsandboxed (development) runs work in their host folder, so inputs/ is there for them too.
                var folder = InputFolder.Create(hostDirectory);
                folder.Sync(inputs);
                inputsDirectory = folder.Path;
            }
            return _environment.BubblewrapPath is { } bubblewrap
                ? SandboxCommandLine.Bubblewrap(bubblewrap, new(procsFiles, _seccompFilterPath, snippetFile, inputsDirectory), language.FileName,
                    SandboxBootstrap.ColdArguments(language, nonce) ?? SandboxCommandLine.ProgramArguments(language), limits, slotUid,
                    AddressSpace(language, limits))
                : SandboxCommandLine.Unsandboxed(language, procsFiles, limits, AddressSpace(language, limits));
        });

    /// <summary>
    /// The nice value a pre-started box starts at. While others of its language wait, it takes only the CPU
    /// that runs and requests leave over, so refilling the pool never slows the run that took a box or the
    /// next request; once none waits (a burst of runs emptied the pool) it starts at normal priority, as a
    /// run would otherwise start its box cold. Below normal only where the box can be raised again at
    /// hand-over: a root server, which gives each box a uid of its own.
    /// </summary>
    private int PrestartNicenessFor(bool urgent) => urgent || !_environment.RunningAsRoot ? 0 : _options.PrestartNiceness;

    /// <summary>How long a pre-started box may take until it waits for code before it counts as failed.</summary>
    private static readonly TimeSpan PrestartReadyTimeout = TimeSpan.FromSeconds(60);

    // A pre-started box gets the instance's limits; a run may tighten them at hand-over.
    private async Task<SandboxProcess> StartWaitingAsync(string languageId, bool urgent)
    {
        _languages.TryGetAvailable(languageId, out var language);
        var starting = Stopwatch.GetTimestamp();
        var sandbox = await StartAsync(_defaultLimits, CancellationToken.None, (hostDirectory, slotUid, procsFiles) =>
        {
            Directory.CreateDirectory(hostDirectory, PrivateDirectoryMode);
            return SandboxCommandLine.Bubblewrap(
                _environment.BubblewrapPath!, new(procsFiles, _seccompFilterPath, null), null,
                SandboxBootstrap.ProgramArguments(language.Definition), _defaultLimits, slotUid, AddressSpace(language.Definition, _defaultLimits));
        }, _prestarter, PrestartNicenessFor(urgent), announcesReady: true);
        try
        {
            // Offered to runs only once its interpreter waits for code: a run handed a box still starting would wait for it.
            await sandbox.Ready.WaitAsync(PrestartReadyTimeout);
        }
        catch
        {
            CleanUpInBackground(sandbox);
            throw;
        }
        _metrics?.PhaseTook(RunPhases.Prestart, starting);
        return sandbox;
    }

    /// <summary>
    /// Takes a uid, a host folder and a cgroup for one box and starts it with the arguments
    /// <paramref name="prepare"/> builds (after it has put what the box needs in the host folder).
    /// </summary>
    private Task<SandboxProcess> StartAsync(
        EffectiveLimits limits, CancellationToken cancellationToken, Func<string, int?, IReadOnlyList<string>, IReadOnlyList<string>> prepare,
        SandboxLauncher? launcher = null, int niceness = 0, bool announcesReady = false) =>
        StartAsync(limits, cancellationToken, prepare,
            (arguments, hostDirectory, cgroup, lease) => SandboxProcess.StartAsync(
                launcher ?? _launcher, _environment, arguments, hostDirectory, cgroup, lease, limits, niceness, announcesReady));

    /// <summary>
    /// Starts a session's long-lived box: the same chain, isolation, uid slot, cgroup and scratch as a
    /// fresh box, running the language's session driver. Its memory, process and scratch limits are the
    /// instance's, for the whole session; wall time, CPU time and output are limited per message by the
    /// session itself. Only with bubblewrap (see <see cref="Sessions.SessionRunner.Supports"/>).
    /// </summary>
    internal Task<Sessions.SessionBox> StartSessionBoxAsync(LanguageDefinition language, CancellationToken cancellationToken)
    {
        if (_environment.BubblewrapPath is not { } bubblewrap) throw new InvalidOperationException("sessions need bubblewrap");
        // RLIMIT_CPU counts a process's whole life, so the session's interpreter gets a long budget;
        // each message's CPU time is bounded by the cgroup's delta.
        var limits = _defaultLimits with { CpuTimeMs = SessionCpuBudgetMs };
        InputFolder? inputs = null;
        return StartAsync(limits, cancellationToken, (hostDirectory, slotUid, procsFiles) =>
        {
            Directory.CreateDirectory(hostDirectory, PrivateDirectoryMode);
            // Bound for the session's life, so files attached while it lives reach its next messages.
            inputs = InputFolder.Create(hostDirectory);
            return SandboxCommandLine.Bubblewrap(
                bubblewrap, new(procsFiles, _seccompFilterPath, null, inputs.Path), null,
                Sessions.SessionDrivers.ProgramArguments(language.Session), limits, slotUid, AddressSpace(language, limits));
        }, (arguments, hostDirectory, cgroup, lease) => Sessions.SessionBox.StartAsync(
            _launcher, _environment, arguments, hostDirectory, cgroup, lease,
            Sessions.SessionDrivers.DisplaysRichOutput(language.Session) ? NewRichOutputCollector : null, inputs));
    }

    /// <summary>The CPU seconds a session's interpreter may use over its whole life (RLIMIT_CPU).</summary>
    private const int SessionCpuBudgetMs = 3_600_000;

    private async Task<T> StartAsync<T>(
        EffectiveLimits limits, CancellationToken cancellationToken, Func<string, int?, IReadOnlyList<string>, IReadOnlyList<string>> prepare,
        Func<IReadOnlyList<string>, string, RunCgroup?, UidSlots.Lease, Task<T>> launch)
    {
        var lease = await _slots.AcquireAsync(cancellationToken);
        // Named after this server, so the next one can tell this box's leftovers from a live server's.
        var hostDirectory = Path.Combine(_runRoot, ServerInstance.NewBoxName());
        RunCgroup? cgroup = null;
        try
        {
            cgroup = _environment.Cgroups?.Create(Path.GetFileName(hostDirectory), limits.MemoryBytes, limits.MaxProcesses);
            var arguments = prepare(hostDirectory, _environment.RunningAsRoot ? lease.Uid : null, cgroup?.ProcsFiles ?? []);
            return await launch(arguments, hostDirectory, cgroup, lease);
        }
        catch
        {
            cgroup?.Dispose();
            DeleteQuietly(hostDirectory);
            lease.Dispose();
            throw;
        }
    }

    // RLIMIT_AS is per process and breaks runtimes that reserve address space (V8); where a memory
    // cgroup bounds the whole run it is not needed at all.
    private long? AddressSpace(LanguageDefinition language, EffectiveLimits limits) =>
        !_environment.HasMemoryCgroup && language.AllowAddressSpaceLimit ? limits.MemoryBytes : null;

    private ExecutionResult StoppedBeforeStart()
    {
        var now = _time.GetUtcNow();
        return new ExecutionResult
        {
            Status = RunStatus.Killed, Detail = "stopped before it started", SandboxLevel = Level,
            StartedAt = now, FinishedAt = now,
        };
    }

    private const UnixFileMode PrivateDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static string WriteSnippet(string hostDirectory, string fileName, byte[] code)
    {
        // A fresh folder the box never sees writable: the host side only ever writes here, so there is
        // no path a snippet could have planted (a symlink) for the server to follow.
        Directory.CreateDirectory(hostDirectory, PrivateDirectoryMode);
        var path = Path.Combine(hostDirectory, fileName);
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
        file.Write(code);
        return path;
    }

    /// <summary>
    /// A server that crashed (or was killed with SIGKILL) left its run cgroups and run folders behind;
    /// its boxes died with it (the parent-death signal), and anything left under a slot uid is killed
    /// when that uid is next taken (see <see cref="UidSlots"/>).
    /// </summary>
    private void RemoveStaleLeftovers()
    {
        var groups = _environment.Cgroups?.RemoveStaleRunGroups() ?? 0;
        var folders = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(_runRoot))
        {
            if (!ServerInstance.IsStale(Path.GetFileName(entry))) continue;
            if (Directory.Exists(entry)) DeleteQuietly(entry);
            else File.Delete(entry);
            folders++;
        }
        if (groups + folders > 0)
        {
            _logger.LogWarning("Removed {Groups} run cgroups and {Folders} run folders left by a server that is gone", groups, folders);
        }
    }

    /// <summary>The file extension of the seccomp filter file in the run folder.</summary>
    internal const string SeccompFilterExtension = ".seccomp";

    /// <summary>The compiled seccomp filter, in a file of this executor's that each box's first link opens.</summary>
    private string? WriteSeccompFilter()
    {
        if (_environment.SeccompFilter is not { } filter) return null;
        var path = Path.Combine(_runRoot, ServerInstance.NewBoxName() + SeccompFilterExtension);
        File.WriteAllBytes(path, filter);
        return path;
    }

    private static string PrepareRunRoot(string? configured)
    {
        var root = configured ?? Path.Combine(Path.GetTempPath(), $"codechatter-runs-{NativeMethods.GetEffectiveUserId()}");
        Directory.CreateDirectory(root, PrivateDirectoryMode);
        if (new DirectoryInfo(root).LinkTarget is not null)
        {
            throw new InvalidOperationException($"The run directory {root} is a symbolic link; refusing to use it.");
        }
        return root;
    }

    // Machine-wide, not per server: uid locks must be seen by every server and test run on the machine.
    private static string PrepareLockDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"codechatter-uid-locks-{NativeMethods.GetEffectiveUserId()}");
        Directory.CreateDirectory(directory, PrivateDirectoryMode);
        if (new DirectoryInfo(directory).LinkTarget is not null)
        {
            throw new InvalidOperationException($"The lock directory {directory} is a symbolic link; refusing to use it.");
        }
        return directory;
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pool?.Dispose();
        // A process that ends right after its last run (the exec verb) must not leave that run's folder.
        SpinWait.SpinUntil(() => IsCleanedUp, TimeSpan.FromSeconds(10));
        _launcher.Dispose();
        _prestarter.Dispose();
        _cleaner.Dispose();
        if (_seccompFilterPath is not null) File.Delete(_seccompFilterPath);
    }
}
