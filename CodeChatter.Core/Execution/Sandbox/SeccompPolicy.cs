using System.Runtime.InteropServices;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// The system calls no snippet may make, as data: the spirit of the default seccomp profile of the
/// well-known container runtimes, turned into a deny list (everything else is allowed, so Python,
/// node, bash, gcc-built programs, threads and numpy keep working). bubblewrap loads the compiled
/// filter into every box, cold or pre-started, as the last step before the box's first program.
/// </summary>
internal static class SeccompPolicy
{
    private const int Eperm = 1;
    private const int Enosys = 38;

    /// <summary>A denied call and why; <c>doctor</c> prints these.</summary>
    public sealed record DeniedCall(string Name, string Reason, int Errno = Eperm);

    /// <summary>Calls refused outright.</summary>
    public static readonly IReadOnlyList<DeniedCall> DeniedCalls =
    [
        // Kernel keyrings are shared by every process of a uid and outlive the run.
        new("add_key", "keyrings"), new("request_key", "keyrings"), new("keyctl", "keyrings"),
        // New namespaces hand the snippet a full capability set inside them.
        new("unshare", "namespaces"), new("setns", "namespaces"),
        // clone3 hides its flags behind a pointer a filter cannot read; ENOSYS makes libc use clone.
        new("clone3", "namespaces (flags unreadable)", Enosys),
        new("mount", "mounts"), new("umount2", "mounts"), new("pivot_root", "mounts"), new("chroot", "mounts"),
        new("fsopen", "mounts"), new("fsconfig", "mounts"), new("fsmount", "mounts"), new("fspick", "mounts"),
        new("move_mount", "mounts"), new("open_tree", "mounts"), new("mount_setattr", "mounts"),
        new("io_uring_setup", "io_uring", Enosys), new("io_uring_enter", "io_uring", Enosys), new("io_uring_register", "io_uring", Enosys),
        new("bpf", "kernel attack surface"), new("perf_event_open", "kernel attack surface"),
        new("userfaultfd", "kernel attack surface"), new("lookup_dcookie", "kernel attack surface"),
        new("ptrace", "tracing other processes"), new("process_vm_readv", "tracing other processes"),
        new("process_vm_writev", "tracing other processes"), new("kcmp", "tracing other processes"),
        new("kexec_load", "kernel and modules"), new("kexec_file_load", "kernel and modules"), new("reboot", "kernel and modules"),
        new("init_module", "kernel and modules"), new("finit_module", "kernel and modules"), new("delete_module", "kernel and modules"),
        new("create_module", "kernel and modules"), new("query_module", "kernel and modules"), new("get_kernel_syms", "kernel and modules"),
        new("clock_settime", "clocks"), new("clock_adjtime", "clocks"), new("settimeofday", "clocks"),
        new("swapon", "host administration"), new("swapoff", "host administration"), new("acct", "host administration"),
        new("quotactl", "host administration"), new("quotactl_fd", "host administration"), new("syslog", "host administration"),
        new("vhangup", "host administration"), new("iopl", "host administration"), new("ioperm", "host administration"),
        new("nfsservctl", "host administration"), new("_sysctl", "host administration"), new("uselib", "host administration"),
        // The "shocker" container escape opened host files by handle.
        new("open_by_handle_at", "file handles"), new("name_to_handle_at", "file handles"),
        new("fanotify_init", "host file events"),
    ];

    /// <summary>clone flags that make a new namespace: clone with any of them is refused.</summary>
    public static readonly IReadOnlyList<(string Name, ulong Flag)> DeniedCloneFlags =
    [
        ("CLONE_NEWNS", 0x00020000), ("CLONE_NEWCGROUP", 0x02000000), ("CLONE_NEWUTS", 0x04000000),
        ("CLONE_NEWIPC", 0x08000000), ("CLONE_NEWUSER", 0x10000000), ("CLONE_NEWPID", 0x20000000),
        ("CLONE_NEWNET", 0x40000000), ("CLONE_NEWTIME", 0x00000080),
    ];

    /// <summary>A one-line summary for logs and <c>doctor</c>.</summary>
    public static string Summary =>
        $"{DeniedCalls.Count} calls denied ({string.Join(", ", DeniedCalls.Select(call => call.Reason).Distinct())}), " +
        $"clone with {string.Join("|", DeniedCloneFlags.Select(flag => flag.Name))} denied, other architectures killed";

    /// <summary>
    /// Compiles the policy to a classic BPF program with libseccomp (for the machine's own
    /// architecture), ready for bubblewrap's <c>--seccomp</c>. Null, with the reason, when libseccomp
    /// is not installed.
    /// </summary>
    public static byte[]? TryCompile(out string? problem)
    {
        IntPtr context;
        try
        {
            context = Libseccomp.seccomp_init(Libseccomp.ActAllow);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            problem = "libseccomp is not installed (apt-get install libseccomp2)";
            return null;
        }
        if (context == IntPtr.Zero)
        {
            problem = "libseccomp could not make a filter";
            return null;
        }
        var path = Path.Combine(Path.GetTempPath(), $"codechatter-seccomp-{Environment.ProcessId}-{Guid.NewGuid():N}.bpf");
        try
        {
            foreach (var call in DeniedCalls)
            {
                var number = Libseccomp.seccomp_syscall_resolve_name(call.Name);
                // Negative numbers are calls this architecture does not have (create_module on arm64, say).
                if (number < 0) continue;
                Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(call.Errno), number, 0, null), call.Name);
            }
            var clone = Libseccomp.seccomp_syscall_resolve_name("clone");
            foreach (var (name, flag) in DeniedCloneFlags)
            {
                // clone's flags are its first argument on x86_64 and arm64 alike.
                var flagSet = new[] { new Libseccomp.ArgumentComparison(0, Libseccomp.CompareMaskedEqual, flag, flag) };
                Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(Eperm), clone, 1, flagSet), "clone " + name);
            }
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                Check(Libseccomp.seccomp_export_bpf(context, (int)file.SafeFileHandle.DangerousGetHandle()), "export");
            }
            problem = null;
            return File.ReadAllBytes(path);
        }
        catch (InvalidOperationException exception)
        {
            problem = exception.Message;
            return null;
        }
        finally
        {
            Libseccomp.seccomp_release(context);
            File.Delete(path);
        }
    }

    private static void Check(int result, string what)
    {
        if (result < 0) throw new InvalidOperationException($"libseccomp refused {what} (error {-result})");
    }

    private static class Libseccomp
    {
        private const string Library = "libseccomp.so.2";
        public const uint ActAllow = 0x7fff0000;
        public const int CompareMaskedEqual = 7;

        public static uint ActErrno(int errno) => 0x00050000u | ((uint)errno & 0xffff);

        [StructLayout(LayoutKind.Sequential)]
        public readonly struct ArgumentComparison(uint argument, int operation, ulong datumA, ulong datumB)
        {
            public readonly uint Argument = argument;
            public readonly int Operation = operation;
            public readonly ulong DatumA = datumA;
            public readonly ulong DatumB = datumB;
        }

        [DllImport(Library)]
        public static extern IntPtr seccomp_init(uint defaultAction);

        [DllImport(Library)]
        public static extern void seccomp_release(IntPtr context);

        [DllImport(Library, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int seccomp_syscall_resolve_name(string name);

        [DllImport(Library)]
        public static extern int seccomp_rule_add_array(IntPtr context, uint action, int syscall, uint argumentCount, ArgumentComparison[]? arguments);

        [DllImport(Library)]
        public static extern int seccomp_export_bpf(IntPtr context, int fd);
    }
}
