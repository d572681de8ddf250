using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution;

/// <summary>One finding of <see cref="SandboxDoctor"/>.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it holds.</param>
/// <param name="Detail">What was seen.</param>
public sealed record DoctorCheck(string Name, bool Passed, string Detail);

/// <summary>Everything <see cref="SandboxDoctor"/> found.</summary>
/// <param name="Level">The isolation level runs get.</param>
/// <param name="Checks">Each check, in the order made.</param>
public sealed record DoctorReport(SandboxLevel Level, IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>True when runs are sandboxed and every check passed.</summary>
    public bool IsSafe => Level == SandboxLevel.Bubblewrap && Checks.All(check => check.Passed);
}

/// <summary>
/// Reports what isolation this machine gives, proving each limit with a real probe run through the
/// same executor that serves people (so a probe that passes here passes for them).
/// </summary>
/// <param name="executor">The executor the probes run through.</param>
/// <param name="environment">The isolation this machine gives.</param>
/// <param name="languages">The configured languages.</param>
/// <param name="options">The execution options.</param>
/// <param name="packages">The packages each language offers, with their installed versions.</param>
public sealed class SandboxDoctor(
    ICodeExecutor executor, SandboxEnvironment environment, LanguageCatalog languages, IOptions<ExecutionOptions> options, PackageInventory packages)
{
    private const string MarkerName = "CODECHATTER_DOCTOR_MARKER";

    /// <summary>Runs every check; takes a few seconds because the limit probes really hit their limits.</summary>
    public async Task<DoctorReport> ExamineAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>
        {
            new("bubblewrap", environment.BubblewrapPath is not null,
                environment.BubblewrapPath ?? $"not found at {options.Value.BubblewrapPath} (apt-get install bubblewrap)"),
            new("cgroups", environment.HasMemoryCgroup && environment.HasPidsCgroup,
                $"{environment.CgroupDescription}; memory limit per run: {Yes(environment.HasMemoryCgroup)}, " +
                $"process limit per run: {Yes(environment.HasPidsCgroup)}, CPU accounting: {Yes(environment.HasCpuAccounting)}"),
            new("seccomp filter", environment.HasSeccompFilter, environment.SeccompDescription),
        };
        foreach (var language in languages.All)
        {
            checks.Add(new($"language {language.Id}", true,
                language.IsAvailable ? "available" : $"unavailable ({language.MissingTool} not found); not offered"));
            var offered = packages.PackagesOf(language.Id);
            if (offered.Count == 0) continue;
            // A missing package makes no run unsafe: it is listed as such, and the check still passes.
            var missing = offered.Where(package => package.Version is null).Select(package => package.Name).ToArray();
            checks.Add(new($"packages {language.Id}", true,
                string.Join(", ", offered.Select(package => $"{package.Name} {package.Version ?? "not installed"}")) +
                (missing.Length == 0 ? "" : " (scripts/prerequisites.sh run installs them)")));
        }
        if (!languages.TryGetAvailable("python", out _))
        {
            checks.Add(new("probes", false, "python3 is needed for the probe runs (apt-get install python3)"));
            return new DoctorReport(environment.Level, checks);
        }

        // The marker is in the server's environment; no run may see it.
        Environment.SetEnvironmentVariable(MarkerName, "visible");
        var uidCheck = environment.RunningAsRoot
            ? "import os; print('ok' if os.getuid() != 0 and os.geteuid() != 0 else 'root')"
            : "print('ok')";
        var probes = new (string Name, string Code, ExecutionLimits? Limits, Func<ExecutionResult, bool> Holds)[]
        {
            ("a run succeeds", "print(1)", null, r => r.Status == RunStatus.Succeeded && r.Stdout == "1\n"),
            ("unprivileged uid", uidCheck, null, r => r.Stdout == "ok\n"),
            ("own pid namespace", "import os; print(os.getpid(), len([p for p in os.listdir('/proc') if p.isdigit()]))", null,
                r => r.Stdout.Trim() == "1 1"),
            ("empty environment", $"import os; e=open('/proc/1/environ','rb').read(); print('leak' if b'{MarkerName}' in e or '{MarkerName}' in os.environ else 'ok')",
                null, r => r.Stdout == "ok\n"),
            ("no network", "import socket\ntry:\n socket.create_connection(('1.1.1.1', 53), timeout=1); print('connected')\nexcept OSError: print('ok')",
                null, r => r.Stdout == "ok\n"),
            ("read-only system", "import os\nfor p in ['/usr/x', '/x', '/etc/x']:\n try:\n  open(p, 'w'); print('wrote', p)\n except OSError: pass\nprint('shadow' if os.path.exists('/etc/shadow') else 'ok')",
                null, r => r.Stdout == "ok\n"),
            ("wall-clock limit", "import time; time.sleep(60)", new ExecutionLimits { WallTimeMs = 1000 },
                r => r.Status == RunStatus.TimedOut && r.WallTimeMs < 3000),
            ("CPU-time limit", "while True: pass", new ExecutionLimits { CpuTimeMs = 1000, WallTimeMs = 8000 },
                r => r.Status == RunStatus.TimedOut),
            ("memory limit", "x = bytearray(512 * 1024 * 1024)", new ExecutionLimits { MemoryBytes = 64L * 1024 * 1024 },
                r => r.Status is RunStatus.MemoryLimit or RunStatus.Failed && r.Stdout == ""),
            ("process limit", "import os\nn = 0\ntry:\n while n < 1000:\n  if os.fork() == 0:\n   import time; time.sleep(5); os._exit(0)\n  n += 1\nexcept OSError: pass\nprint(n)",
                new ExecutionLimits { MaxProcesses = 16, WallTimeMs = 4000 },
                r => int.TryParse(r.Stdout.Trim(), out var n) && n < 16),
            ("denied system calls", DeniedCallsProbe, null, r => r.Stdout == "refused\n"),
            ("output limit", "while True: print('x' * 1000)", new ExecutionLimits { MaxOutputBytesPerStream = 4096 },
                r => r.Status == RunStatus.OutputLimit && r.StdoutTruncated && r.Stdout.Length <= 4096),
        };
        foreach (var probe in probes)
        {
            var result = await executor.ExecuteAsync(new ExecutionRequest("python", probe.Code) { Limits = probe.Limits }, null, cancellationToken);
            var holds = probe.Holds(result);
            checks.Add(new(probe.Name, holds,
                $"{result.Status.ToWireName()} in {result.WallTimeMs} ms" +
                (holds ? "" : $"; stdout: {Clip(result.Stdout)} stderr: {Clip(result.Stderr)}")));
        }
        return new DoctorReport(environment.Level, checks);
    }

    // A new user namespace, a key in the keyring and a mount must all be refused by the box's filter.
    private const string DeniedCallsProbe = """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        add_key = {"x86_64": 248, "aarch64": 217}.get(os.uname().machine, 248)
        results = [libc.unshare(0x10000000 | 0x00020000), libc.syscall(add_key, b"user", b"probe", b"x", 1, -3),
                   libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)]
        print("refused" if all(r == -1 for r in results) else "allowed: " + repr(results))
        """;

    private static string Yes(bool value) => value ? "yes" : "no";

    private static string Clip(string text) => text.Length > 200 ? text[..200] + "…" : text.Trim();
}
