using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>The limits one run gets after a request's tighter values are applied.</summary>
internal sealed record EffectiveLimits(
    int WallTimeMs, int CpuTimeMs, long MemoryBytes, int MaxProcesses, int StoredOutputBytesPerStream,
    long MaxFileSizeBytes, long ScratchSpaceBytes, int MaxOpenFiles)
{
    public static EffectiveLimits From(ExecutionOptions options, ExecutionLimits? requested) => new(
        Math.Min(options.WallTimeLimitMs, requested?.WallTimeMs ?? int.MaxValue),
        Math.Min(options.CpuTimeLimitMs, requested?.CpuTimeMs ?? int.MaxValue),
        Math.Min(options.MemoryLimitBytes, requested?.MemoryBytes ?? long.MaxValue),
        Math.Min(options.MaxProcesses, requested?.MaxProcesses ?? int.MaxValue),
        Math.Min(options.StoredOutputBytes, requested?.MaxOutputBytesPerStream ?? int.MaxValue),
        options.MaxFileSizeBytes,
        options.ScratchSpaceBytes,
        options.MaxOpenFiles);
}

/// <summary>
/// Builds the argument array that starts one sandboxed run. Everything is an argv element, never a
/// shell string built from data; the snippet itself is a read-only file copied into the box, never an argument.
/// </summary>
internal static class SandboxCommandLine
{
    /// <summary>The run's private scratch directory inside the box (a sized tmpfs).</summary>
    public const string ScratchDirectory = "/box";

    /// <summary>
    /// Runs a compile step and then the program, in one sandbox so both share the scratch directory
    /// and the limits. Passed as a constant to <c>python3 -c</c>; the snippet never is.
    /// </summary>
    private const string CompileThenRun =
        "import os,subprocess,sys\n" +
        "n=int(sys.argv[1]);compile_argv=sys.argv[2:2+n];run_argv=sys.argv[2+n:]\n" +
        "code=subprocess.run(compile_argv,stdin=subprocess.DEVNULL).returncode\n" +
        "if code!=0: sys.exit(code if code>0 else 128-code)\n" +
        "os.execv(run_argv[0],run_argv)\n";

    private const string StepsInterpreter = "/usr/bin/python3";

    /// <summary>The program and arguments, inside the box, for a language (compile step folded in).</summary>
    public static IReadOnlyList<string> ProgramArguments(LanguageDefinition language)
    {
        if (language.Compile.Length == 0) return language.Run;
        return [StepsInterpreter, "-I", "-S", "-c", CompileThenRun,
            language.Compile.Length.ToString(CultureInfo.InvariantCulture), .. language.Compile, .. language.Run];
    }

    /// <summary>prlimit arguments (without the program).</summary>
    public static IReadOnlyList<string> ResourceLimits(EffectiveLimits limits, bool limitProcesses, long? addressSpaceBytes)
    {
        var cpuSeconds = (limits.CpuTimeMs + 999) / 1000;
        var arguments = new List<string>
        {
            "/usr/bin/prlimit",
            // Python as pid 1 ignores the soft SIGXCPU: the hard limit one second later kills it.
            $"--cpu={cpuSeconds}:{cpuSeconds + 1}",
            $"--fsize={limits.MaxFileSizeBytes}",
            $"--nofile={limits.MaxOpenFiles}",
            "--core=0",
        };
        if (limitProcesses) arguments.Add($"--nproc={limits.MaxProcesses}");
        if (addressSpaceBytes is { } bytes) arguments.Add($"--as={bytes}");
        arguments.Add("--");
        return arguments;
    }

    /// <summary>
    /// The first link of every box's chain, a constant script for <c>/bin/sh</c> (the arguments are
    /// positional, never parsed as shell text). Before anything else it writes its own pid into the
    /// run's cgroups, so the box is born inside them and no thread of the server ever joins a run's
    /// group (a host thread there could be starved by the snippet's process limit). Then it opens the
    /// seccomp filter as fd 3 and the snippet as fd 4 for bubblewrap, which copies the snippet into
    /// the box: no host path of it shows in the box's mount table.
    /// </summary>
    private const string PlaceThenStart =
        "filter=$1 code=$2; shift 2\n" +
        "while [ \"$1\" != -- ]; do echo $$ >\"$1\" || exit 125; shift; done; shift\n" +
        "exec \"$@\" 3<\"$filter\" 4<\"$code\"\n";

    private const string FilterDescriptor = "3";
    private const string SnippetDescriptor = "4";

    /// <summary>
    /// The host's /proc files masked in every box (they list other runs' keys, uids and timers): those
    /// this kernel has, looked up once, not on every box start.
    /// </summary>
    private static readonly string[] MaskedProcFiles =
        new[] { "/proc/keys", "/proc/key-users", "/proc/timer_list", "/proc/sched_debug" }.Where(File.Exists).ToArray();

    /// <summary>What a box's first link needs from the host: its cgroups, its filter, its snippet.</summary>
    /// <param name="CgroupProcsFiles">The <c>cgroup.procs</c> files the box's first process writes itself into.</param>
    /// <param name="SeccompFilterPath">The compiled filter bubblewrap loads, or null for none.</param>
    /// <param name="SnippetPath">The host file holding the code (cold runs), or null (a pre-started box reads it from stdin).</param>
    /// <param name="InputsDirectory">
    /// The host folder bound read-only as <c>/box/inputs</c> (the conversation's attachments), or null for none.
    /// Its host path shows in the box's mount table, so it is only bound where there are attachments to
    /// see (a fresh run with inputs) or may come to be (a session).
    /// </param>
    public sealed record BoxStart(IReadOnlyList<string> CgroupProcsFiles, string? SeccompFilterPath, string? SnippetPath, string? InputsDirectory = null);

    /// <summary>matplotlib's config and cache folder in every box: on the sized, writable /tmp.</summary>
    public const string MatplotlibDirectory = "/tmp/matplotlib";

    /// <summary>The XDG cache folder in every box: on /tmp, out of the working folder.</summary>
    public const string CacheDirectory = "/tmp/cache";

    private static List<string> Placement(BoxStart start) =>
    [
        "/bin/sh", "-c", PlaceThenStart, "codechatter-box",
        start.SeccompFilterPath ?? "/dev/null", start.SnippetPath ?? "/dev/null",
        .. start.CgroupProcsFiles, "--",
    ];

    /// <summary>The full argv for a bubblewrap run.</summary>
    /// <param name="bubblewrapPath">The bwrap binary.</param>
    /// <param name="start">The box's cgroups, filter and (cold runs) snippet file.</param>
    /// <param name="snippetFileName">The snippet's name in the box; null for a pre-started box, which receives its code on stdin.</param>
    /// <param name="program">The argv to run inside the box.</param>
    /// <param name="limits">The run's limits.</param>
    /// <param name="slotUid">The uid to drop to (server runs as root), or null.</param>
    /// <param name="addressSpaceBytes">RLIMIT_AS, or null.</param>
    public static IReadOnlyList<string> Bubblewrap(
        string bubblewrapPath, BoxStart start, string? snippetFileName, IReadOnlyList<string> program,
        EffectiveLimits limits, int? slotUid, long? addressSpaceBytes)
    {
        var scratchSize = limits.ScratchSpaceBytes.ToString(CultureInfo.InvariantCulture);
        var arguments = Placement(start);
        if (slotUid is { } uid)
        {
            // As root, the whole box (bubblewrap included) drops to the slot uid before bubblewrap
            // starts: a user namespace made by root would map back to root, and bubblewrap's
            // parent-death signal only reaches the box when both run as the same uid (a signal
            // across uids needs CAP_KILL, which bubblewrap's launcher drops), so a box changing uid
            // inside would outlive a server killed with SIGKILL.
            var id = uid.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([
                "/usr/bin/setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]);
        }
        arguments.AddRange([
            // The chain continues with an empty environment: --clearenv only cleans the child, and
            // bubblewrap's own environment would otherwise be readable in the box at /proc/1/environ.
            "/usr/bin/env", "-i", bubblewrapPath,
            "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            // --as-pid-1: no bubblewrap init left behind as a zombie counting against RLIMIT_NPROC.
            "--die-with-parent", "--as-pid-1", "--new-session", "--hostname", "codechatter",
            "--ro-bind", "/usr", "/usr",
        ]);
        if (start.SeccompFilterPath is not null) arguments.AddRange(["--seccomp", FilterDescriptor]);
        foreach (var top in new[] { "bin", "lib", "lib64", "sbin" })
        {
            var host = "/" + top;
            if (new FileInfo(host).LinkTarget is { } target) arguments.AddRange(["--symlink", target, host]);
            else if (Directory.Exists(host)) arguments.AddRange(["--ro-bind", host, host]);
        }
        arguments.AddRange(["--perms", "0755", "--dir", "/etc"]);
        // Only what interpreters and compilers need from /etc: no passwd, no shadow, no secrets.
        // Debian's matplotlib keeps its matplotlibrc in /etc (it refuses to import without it), and
        // fontconfig its configuration (without it every plot warns on stderr).
        foreach (var file in new[] { "/etc/alternatives", "/etc/ld.so.cache", "/etc/ssl", "/etc/localtime", "/etc/fonts", "/etc/matplotlibrc" })
        {
            arguments.AddRange(["--ro-bind-try", file, file]);
        }
        arguments.AddRange(["--proc", "/proc"]);
        foreach (var file in MaskedProcFiles) arguments.AddRange(["--ro-bind", "/dev/null", file]);
        arguments.AddRange([
            "--dev", "/dev",
            // bubblewrap's / and /dev are unsized writable tmpfs: only these sized ones stay writable.
            "--size", scratchSize, "--perms", "1777", "--tmpfs", "/tmp",
            "--size", scratchSize, "--perms", "1777", "--tmpfs", "/dev/shm",
            "--remount-ro", "/dev",
            "--size", scratchSize, "--perms", "1777", "--tmpfs", ScratchDirectory,
        ]);
        if (start.InputsDirectory is { } inputs)
        {
            arguments.AddRange(["--ro-bind", inputs, $"{ScratchDirectory}/{InputFolder.Name}"]);
        }
        if (start.SnippetPath is not null && snippetFileName is not null)
        {
            arguments.AddRange(["--perms", "0444", "--file", SnippetDescriptor, $"{ScratchDirectory}/{snippetFileName}"]);
        }
        arguments.AddRange([
            "--chdir", ScratchDirectory,
            "--remount-ro", "/",
            "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", ScratchDirectory,
            "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            // Plots are drawn off-screen and shown inline (see PythonDisplaySupport).
            "--setenv", "MPLBACKEND", "Agg",
            "--setenv", "MPLCONFIGDIR", MatplotlibDirectory,
            // Caches (fontconfig's, pip's) go to /tmp, not into the working folder whose new files are given back.
            "--setenv", "XDG_CACHE_HOME", CacheDirectory,
            "--",
        ]);
        arguments.AddRange(ResourceLimits(limits, limitProcesses: slotUid is not null, addressSpaceBytes));
        arguments.AddRange(program);
        return arguments;
    }

    /// <summary>The argv for the development fallback: rlimits only, in a host folder.</summary>
    public static IReadOnlyList<string> Unsandboxed(
        LanguageDefinition language, IReadOnlyList<string> cgroupProcsFiles, EffectiveLimits limits, long? addressSpaceBytes)
    {
        var arguments = Placement(new BoxStart(cgroupProcsFiles, null, null));
        arguments.AddRange(["/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"]);
        // RLIMIT_NPROC counts every process of the server's own user here, so it is left off.
        arguments.AddRange(ResourceLimits(limits, limitProcesses: false, addressSpaceBytes));
        arguments.AddRange(ProgramArguments(language));
        return arguments;
    }
}
