using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>The limits one run gets after a request's tighter values are applied.</summary>
internal sealed record EffectiveLimits(
    int WallTimeMs, int CpuTimeMs, long MemoryBytes, int MaxProcesses, int MaxOutputBytesPerStream,
    long MaxFileSizeBytes, long ScratchSpaceBytes, int MaxOpenFiles)
{
    public static EffectiveLimits From(ExecutionOptions options, ExecutionLimits? requested) => new(
        Math.Min(options.WallTimeLimitMs, requested?.WallTimeMs ?? int.MaxValue),
        Math.Min(options.CpuTimeLimitMs, requested?.CpuTimeMs ?? int.MaxValue),
        Math.Min(options.MemoryLimitBytes, requested?.MemoryBytes ?? long.MaxValue),
        Math.Min(options.MaxProcesses, requested?.MaxProcesses ?? int.MaxValue),
        Math.Min(options.MaxOutputBytesPerStream, requested?.MaxOutputBytesPerStream ?? int.MaxValue),
        options.MaxFileSizeBytes,
        options.ScratchSpaceBytes,
        options.MaxOpenFiles);
}

/// <summary>
/// Builds the argument array that starts one sandboxed run. Everything is an argv element, never a
/// shell string; the snippet itself is a read-only file bound into the box, never an argument.
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

    /// <summary>The full argv for a bubblewrap run.</summary>
    /// <param name="bubblewrapPath">The bwrap binary.</param>
    /// <param name="snippet">The host file holding the code and its name in the box; null for a pre-started box, which receives its code on stdin.</param>
    /// <param name="program">The argv to run inside the box.</param>
    /// <param name="limits">The run's limits.</param>
    /// <param name="slotUid">The uid to drop to (server runs as root), or null.</param>
    /// <param name="addressSpaceBytes">RLIMIT_AS, or null.</param>
    public static IReadOnlyList<string> Bubblewrap(
        string bubblewrapPath, (string HostPath, string FileName)? snippet, IReadOnlyList<string> program,
        EffectiveLimits limits, int? slotUid, long? addressSpaceBytes)
    {
        var scratchSize = limits.ScratchSpaceBytes.ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            // The chain starts with an empty environment: --clearenv only cleans the child, and
            // bubblewrap's own environment would otherwise be readable in the box at /proc/1/environ.
            "/usr/bin/env", "-i", bubblewrapPath,
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
        };
        // As root a user namespace would map back to root; the slot uid does the isolating instead.
        if (slotUid is null) arguments.Add("--unshare-user");
        arguments.AddRange([
            // --as-pid-1: no bubblewrap init left behind as a zombie counting against RLIMIT_NPROC.
            "--die-with-parent", "--as-pid-1", "--new-session", "--hostname", "codechatter",
            "--ro-bind", "/usr", "/usr",
        ]);
        foreach (var top in new[] { "bin", "lib", "lib64", "sbin" })
        {
            var host = "/" + top;
            if (new FileInfo(host).LinkTarget is { } target) arguments.AddRange(["--symlink", target, host]);
            else if (Directory.Exists(host)) arguments.AddRange(["--ro-bind", host, host]);
        }
        arguments.AddRange(["--perms", "0755", "--dir", "/etc"]);
        // Only what interpreters and compilers need from /etc: no passwd, no shadow, no secrets.
        foreach (var file in new[] { "/etc/alternatives", "/etc/ld.so.cache", "/etc/ssl", "/etc/localtime" })
        {
            arguments.AddRange(["--ro-bind-try", file, file]);
        }
        arguments.AddRange([
            "--proc", "/proc",
            "--dev", "/dev",
            // bubblewrap's / and /dev are unsized writable tmpfs: only these sized ones stay writable.
            "--size", scratchSize, "--perms", "1777", "--tmpfs", "/tmp",
            "--size", scratchSize, "--perms", "1777", "--tmpfs", "/dev/shm",
            "--remount-ro", "/dev",
            "--size", scratchSize, "--perms", "1777", "--tmpfs", ScratchDirectory,
        ]);
        if (snippet is { } code) arguments.AddRange(["--ro-bind", code.HostPath, $"{ScratchDirectory}/{code.FileName}"]);
        arguments.AddRange([
            "--chdir", ScratchDirectory,
            "--remount-ro", "/",
            "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", ScratchDirectory,
            "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            "--",
        ]);
        arguments.AddRange(ResourceLimits(limits, limitProcesses: slotUid is not null, addressSpaceBytes));
        if (slotUid is { } uid)
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([
                "/usr/bin/setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]);
        }
        arguments.AddRange(program);
        return arguments;
    }

    /// <summary>The argv for the development fallback: rlimits only, in a host folder.</summary>
    public static IReadOnlyList<string> Unsandboxed(LanguageDefinition language, EffectiveLimits limits, long? addressSpaceBytes)
    {
        var arguments = new List<string>
        {
            "/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
        };
        // RLIMIT_NPROC counts every process of the server's own user here, so it is left off.
        arguments.AddRange(ResourceLimits(limits, limitProcesses: false, addressSpaceBytes));
        arguments.AddRange(ProgramArguments(language));
        return arguments;
    }
}
