namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>What isolation this machine offers, detected once at start-up.</summary>
public sealed class SandboxEnvironment
{
    private SandboxEnvironment(string? bubblewrapPath, bool runningAsRoot, CgroupSupport? cgroups)
    {
        BubblewrapPath = bubblewrapPath;
        RunningAsRoot = runningAsRoot;
        Cgroups = cgroups;
        if (bubblewrapPath is not null)
        {
            SeccompFilter = SeccompPolicy.TryCompile(out var problem);
            SeccompProblem = problem;
        }
    }

    /// <summary>The bubblewrap binary, or null when it is not installed.</summary>
    public string? BubblewrapPath { get; }

    /// <summary>Whether the server runs as root (and so switches each run to a slot uid).</summary>
    public bool RunningAsRoot { get; }

    internal CgroupSupport? Cgroups { get; }

    /// <summary>The compiled seccomp filter every box gets, or null when it could not be made.</summary>
    internal byte[]? SeccompFilter { get; }

    /// <summary>Why there is no seccomp filter, when there is none.</summary>
    public string? SeccompProblem { get; }

    /// <summary>Whether every box gets the seccomp filter of <c>SeccompPolicy</c>.</summary>
    public bool HasSeccompFilter => SeccompFilter is not null;

    /// <summary>A one-line description of the seccomp filter, for logs and <c>doctor</c>.</summary>
    public string SeccompDescription => SeccompFilter is { } filter
        ? $"{SeccompPolicy.Summary}; {filter.Length / 8} BPF instructions"
        : SeccompProblem ?? "none (no bubblewrap)";

    /// <summary>The isolation level runs get on this machine.</summary>
    public SandboxLevel Level => BubblewrapPath is null ? SandboxLevel.Unsandboxed : SandboxLevel.Bubblewrap;

    /// <summary>A one-line description of the cgroup support, for logs and <c>doctor</c>.</summary>
    public string CgroupDescription => Cgroups?.Description ?? "none usable";

    /// <summary>Whether a memory cgroup bounds each run (otherwise only per-process rlimits do).</summary>
    public bool HasMemoryCgroup => Cgroups?.HasMemory == true;

    /// <summary>Whether a pids cgroup bounds each run's process count.</summary>
    public bool HasPidsCgroup => Cgroups?.HasPids == true;

    /// <summary>Whether CPU time is accounted per run.</summary>
    public bool HasCpuAccounting => Cgroups?.HasCpuAccounting == true;

    /// <summary>Looks for bubblewrap at <paramref name="bubblewrapPath"/> and probes cgroups.</summary>
    public static SandboxEnvironment Detect(string bubblewrapPath)
    {
        var bubblewrap = File.Exists(bubblewrapPath) ? bubblewrapPath : null;
        return new SandboxEnvironment(bubblewrap, NativeMethods.GetEffectiveUserId() == 0, CgroupSupport.Detect());
    }

    /// <summary>An environment without bubblewrap, for development machines and tests of the fallback.</summary>
    public static SandboxEnvironment DetectWithoutBubblewrap() =>
        new(null, NativeMethods.GetEffectiveUserId() == 0, CgroupSupport.Detect());
}
