using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Benchmarks;

/// <summary>
/// What a run costs without CodeChatter: a bare <c>python3 -c 'print(1)'</c>, and the same inside a cold
/// bubblewrap sandbox built like the executor's (empty environment, namespaces, read-only system,
/// sized tmpfs, rlimits, a dropped uid), timed in the same run as the app so ratios are fair.
/// </summary>
internal static class ProcessBaselines
{
    // Outside the executor's own slot uids, so a baseline box never collides with a real run.
    private const string BaselineUid = "61900";

    public static Task BarePythonAsync() => RunAsync(["/usr/bin/python3", "-c", "print(1)"]);

    public static Task SandboxedPythonAsync() => RunAsync(SandboxedPython);

    private static readonly string[] SandboxedPython =
    [
        "/usr/bin/env", "-i", "/usr/bin/bwrap",
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--as-pid-1", "--new-session",
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev",
        "--size", "16777216", "--perms", "1777", "--tmpfs", "/tmp",
        "--size", "16777216", "--perms", "1777", "--tmpfs", "/box", "--chdir", "/box",
        "--remount-ro", "/", "--clearenv", "--setenv", "LANG", "C.UTF-8", "--",
        "/usr/bin/prlimit", "--cpu=5:6", "--nproc=64", "--fsize=16777216", "--nofile=256", "--core=0", "--",
        "/usr/bin/setpriv", $"--reuid={BaselineUid}", $"--regid={BaselineUid}", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
        "/usr/bin/python3", "-c", "print(1)",
    ];

    private static async Task RunAsync(string[] argv)
    {
        var result = await Cli.Wrap(argv[0]).WithArguments(argv.Skip(1)).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.StandardOutput != "1\n")
        {
            throw new InvalidOperationException($"{argv[^3]} printed '{result.StandardOutput}', stderr '{result.StandardError}'");
        }
    }
}
