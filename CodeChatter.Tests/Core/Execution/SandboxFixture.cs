using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// The sandbox tests run one at a time and alone: the limits they check are timing-sensitive and the
/// machine has few cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}

/// <summary>
/// One real <see cref="SandboxedExecutor"/> configured from the Web project's own appsettings.json,
/// plus the checks every sandbox test makes: its prerequisites are installed (a missing one fails the
/// test with what to install, never skips it) and nothing of a run is left on the host afterwards.
/// </summary>
public sealed class SandboxFixture : IDisposable
{
    // A uid range of the tests' own: the executor SIGKILLs everything a slot uid owns after each run,
    // so sharing the configured range with a server or another test run on this machine would let
    // one kill the other's runs.
    // Per test process, too: the leftover check scans this range, and another test run on the same
    // machine (holding its own uids through the lock files) must not show up in it.
    private static readonly int TestSandboxUidBase = 2_000_000 + Environment.ProcessId % 100_000 * 1_000;

    private static readonly Dictionary<string, string> Packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = "python3",
        ["javascript"] = "nodejs",
        ["bash"] = "bash",
        ["c"] = "gcc",
    };

    // Every uid the executors may hand out: slots are picked from a range a few times their count.
    private const int SlotUidRange = 200;

    public SandboxFixture()
    {
        Options = TestOptions(prestartedPerLanguage: 0);
        Languages = new LanguageCatalog(new OptionsWrapper<ExecutionOptions>(Options));
        Sandbox = SandboxEnvironment.Detect(Options.BubblewrapPath);
        ColdExecutor = new SandboxedExecutor(
            new OptionsWrapper<ExecutionOptions>(Options), Languages, Sandbox, NullLogger<SandboxedExecutor>.Instance);
        var prestartedOptions = TestOptions(prestartedPerLanguage: 2);
        prestartedOptions.RunDirectory = Options.RunDirectory;
        // Below normal priority while another box waits, so the tests see boxes raised at their hand-over.
        prestartedOptions.PrestartNiceness = 19;
        PrestartedExecutor = new SandboxedExecutor(
            new OptionsWrapper<ExecutionOptions>(prestartedOptions), Languages, Sandbox, NullLogger<SandboxedExecutor>.Instance);
    }

    public ExecutionOptions Options { get; }

    public LanguageCatalog Languages { get; }

    public SandboxEnvironment Sandbox { get; }

    /// <summary>Starts every sandbox cold, at the moment of the run.</summary>
    public SandboxedExecutor ColdExecutor { get; }

    /// <summary>Serves runs from sandboxes started ahead of time (cold when none waits).</summary>
    public SandboxedExecutor PrestartedExecutor { get; }

    /// <summary>
    /// Which start path the current test class exercises. The collection runs one test at a time, so
    /// each test class sets it in its constructor.
    /// </summary>
    public bool UsePrestarted { get; set; }

    private int _runsInFlight;
    private int _runsBegun;

    public SandboxedExecutor Executor => UsePrestarted ? PrestartedExecutor : ColdExecutor;

    /// <summary>How many runs the pre-started executor has served from a waiting sandbox so far.</summary>
    public int PrestartedRunCount => PrestartedExecutor.PrestartedRunCount;

    private static ExecutionOptions TestOptions(int prestartedPerLanguage)
    {
        var options = LoadWebOptions();
        options.SandboxUidBase = TestSandboxUidBase;
        options.RunDirectory = Path.Combine(Path.GetTempPath(), $"codechatter-test-runs-{Guid.NewGuid():N}");
        options.PrestartedSandboxesPerLanguage = prestartedPerLanguage;
        return options;
    }

    /// <summary>The host folder under which the executor makes one folder per run.</summary>
    public string RunRoot => Options.RunDirectory!;

    /// <summary>The Execution section of CodeChatter.Web/appsettings.json, bound and validated as at start-up.</summary>
    public static ExecutionOptions LoadWebOptions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "WebSettings", "appsettings.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        var options = new ExecutionOptions();
        configuration.GetSection(ExecutionOptions.SectionName).Bind(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    /// <summary>
    /// Runs a snippet through the real sandbox after checking that everything it needs is installed.
    /// On the pre-started path it first lets the pool fill, and afterwards checks the run really was
    /// served by a waiting sandbox (unless <paramref name="checkHandOver"/> is false: a test sending many runs at
    /// once, which drain the pool, checks the pool's share itself).
    /// </summary>
    public async Task<ExecutionResult> RunAsync(
        string language, string code, ExecutionLimits? limits = null, string stdin = "", Action<OutputChunk>? output = null,
        CancellationToken cancellationToken = default, RunInput? input = null, IReadOnlyList<InputFile>? inputs = null,
        bool checkHandOver = true)
    {
        RequireBubblewrap();
        RequireLanguage(language);
        var request = new ExecutionRequest(language, code) { Stdin = stdin, Limits = limits, Input = input, Inputs = inputs ?? [] };
        if (!UsePrestarted) return await ColdExecutor.ExecuteAsync(request, output, cancellationToken);

        await PrestartedExecutor.WaitUntilPrestartedAsync(TimeSpan.FromSeconds(20));
        var alone = Interlocked.Increment(ref _runsInFlight) == 1;
        var ticket = Interlocked.Increment(ref _runsBegun);
        var before = PrestartedExecutor.PrestartedRunCount;
        var result = await PrestartedExecutor.ExecuteAsync(request, output, cancellationToken);
        // Alone from start to end: nothing in flight when it began, and no run began (and maybe ended) meanwhile.
        alone &= Interlocked.Decrement(ref _runsInFlight) == 0 && Volatile.Read(ref _runsBegun) == ticket;
        // Runs started together share the pool; only a run made alone is sure to get a waiting box.
        // A run with inputs starts cold by design (its box must be made with them).
        var prestartable = Languages.TryGetAvailable(language, out var info) && !string.IsNullOrEmpty(info.Definition.Prestart)
            && request.Inputs.Count == 0;
        if (checkHandOver && alone && prestartable && result.Status != RunStatus.Rejected && !cancellationToken.IsCancellationRequested)
        {
            Assert.True(PrestartedExecutor.PrestartedRunCount == before + 1, "the run should have been served by a pre-started sandbox");
        }
        return result;
    }

    public void RequireBubblewrap()
    {
        if (Sandbox.BubblewrapPath is null)
        {
            Assert.Fail($"bubblewrap is not installed at {Options.BubblewrapPath}: apt-get install bubblewrap");
        }
    }

    public void RequireLanguage(string id)
    {
        var configured = Languages.All.FirstOrDefault(language => string.Equals(language.Id, id, StringComparison.OrdinalIgnoreCase));
        if (configured is null) return; // an unknown language is a test of rejection
        if (!configured.IsAvailable)
        {
            var package = Packages.GetValueOrDefault(id, id);
            Assert.Fail($"the {id} language needs {configured.MissingTool}, which is not installed: apt-get install {package}");
        }
        // Compiled languages run their compile step through python3 inside the box.
        if (configured.Definition.Compile.Length > 0 && !File.Exists("/usr/bin/python3"))
        {
            Assert.Fail($"the {id} language needs /usr/bin/python3 for its compile step: apt-get install python3");
        }
    }

    public void RequireMemoryCgroup()
    {
        if (!Sandbox.HasMemoryCgroup)
        {
            Assert.Fail($"no usable memory cgroup ({Sandbox.CgroupDescription}): run the tests as root on a host with the " +
                "cgroup v1 memory controller or a delegated cgroup v2 tree (`dotnet CodeChatter.Web.dll doctor` tells which)");
        }
    }

    /// <summary>
    /// Asserts that no run left anything behind: no process of any slot uid, no process or thread in a
    /// run cgroup, no run folder on the host.
    /// </summary>
    /// <remarks>The sandboxes waiting in the pre-started pool are the only things allowed to exist.</remarks>
    public void AssertNothingLeftBehind()
    {
        Assert.True(SpinWait.SpinUntil(() => ColdExecutor.IsCleanedUp && PrestartedExecutor.IsCleanedUp, TimeSpan.FromSeconds(20)),
            "runs were not cleaned up");
        var waiting = WaitingSandboxes();
        var waitingUids = waiting.Select(box => box.Uid).ToHashSet();
        var waitingFolders = waiting.Select(box => Path.GetFileName(box.HostDirectory)).ToHashSet();

        var slotProcesses = Enumerable.Range(Options.SandboxUidBase, SlotUidRange)
            .Where(uid => !waitingUids.Contains(uid))
            .SelectMany(uid => UidSlots.ProcessesOwnedBy(uid).Select(pid => $"uid {uid}: {Describe(pid)}"))
            .ToArray();
        Assert.True(slotProcesses.Length == 0, "processes of the sandbox uids remain: " + string.Join("; ", slotProcesses));

        var inRunCgroups = TasksInRunCgroups()
            .Where(task => !waitingFolders.Any(folder => task.Contains(folder, StringComparison.Ordinal)))
            .ToArray();
        Assert.True(inRunCgroups.Length == 0, "tasks remain in run cgroups: " + string.Join("; ", inRunCgroups));

        // Each executor keeps its compiled seccomp filter there for its whole life.
        var runFolders = Directory.Exists(RunRoot)
            ? Directory.GetFileSystemEntries(RunRoot)
                .Where(path => !waitingFolders.Contains(Path.GetFileName(path)) && !path.EndsWith(SandboxedExecutor.SeccompFilterExtension, StringComparison.Ordinal))
                .ToArray()
            : [];
        Assert.True(runFolders.Length == 0, "run folders remain on the host: " + string.Join(", ", runFolders));
    }

    /// <summary>
    /// The pre-started executor's waiting sandboxes, once the refill that follows every run has
    /// finished, so that what exists besides them is exactly what a run left behind.
    /// </summary>
    public IReadOnlyList<(int Uid, string HostDirectory)> WaitingSandboxes()
    {
        Assert.True(SpinWait.SpinUntil(() => PrestartedExecutor.IsPrestartPoolFull, TimeSpan.FromSeconds(20)),
            "the pre-started pool did not refill");
        return PrestartedExecutor.WaitingSandboxes;
    }

    /// <summary>Like <see cref="TasksInRunCgroups"/>, without the pre-started executor's waiting sandboxes.</summary>
    public IReadOnlyList<string> TasksInRunCgroupsExceptWaiting()
    {
        var waitingFolders = WaitingSandboxes().Select(box => Path.GetFileName(box.HostDirectory)).ToArray();
        return TasksInRunCgroups().Where(task => !waitingFolders.Any(folder => task.Contains(folder, StringComparison.Ordinal))).ToArray();
    }

    /// <summary>
    /// Every process or thread whose cgroup path contains <c>codechatter-runs</c> under this test
    /// process's own cgroups. Runs of other servers on the machine live under other groups in at least
    /// one hierarchy (here: memory) and are not ours to judge.
    /// </summary>
    public static IReadOnlyList<string> TasksInRunCgroups()
    {
        var own = ParseCgroups(File.ReadAllText("/proc/self/cgroup"));
        var found = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid)) continue;
            try
            {
                foreach (var task in Directory.EnumerateDirectories(Path.Combine(process, "task")))
                {
                    var text = File.ReadAllText(Path.Combine(task, "cgroup"));
                    var inRuns = ParseCgroups(text)
                        .Where(pair => pair.Value.Contains("/codechatter-runs", StringComparison.Ordinal))
                        .ToArray();
                    if (inRuns.Length == 0) continue;
                    var underOurs = inRuns.All(pair =>
                        own.TryGetValue(pair.Key, out var home)
                        && pair.Value.StartsWith(home.TrimEnd('/') + "/codechatter-runs", StringComparison.Ordinal));
                    if (underOurs)
                    {
                        found.Add($"{Describe(pid)} task {Path.GetFileName(task)} in {text.ReplaceLineEndings(" ").Trim()}");
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked.
            }
        }
        return found;
    }

    // "4:memory:/a/b" -> ["memory"] = "/a/b"
    private static Dictionary<string, string> ParseCgroups(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .GroupBy(parts => parts[1])
            .ToDictionary(group => group.Key, group => group.First()[2]);

    private static string Describe(int pid)
    {
        try
        {
            return $"pid {pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"pid {pid}";
        }
    }

    public void Dispose()
    {
        ColdExecutor.Dispose();
        PrestartedExecutor.Dispose();
        try
        {
            if (Directory.Exists(RunRoot)) Directory.Delete(RunRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
