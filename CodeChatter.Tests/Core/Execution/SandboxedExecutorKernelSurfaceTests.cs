using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// What a box may ask of the kernel: the calls a container runtime's default seccomp profile denies
/// are refused (keyrings, namespaces, mounts, io_uring, bpf, perf, userfaultfd, ptrace), while what
/// people's programs need (threads, children, workers, pipelines) keeps working. Also: no server
/// thread ever sits in a run's cgroup, and no host path shows in a box.
/// </summary>
/// <remarks>Runs twice: once on cold sandboxes, once on pre-started ones (same chain, same filter).</remarks>
public abstract class SandboxedExecutorKernelSurfaceTests
{
    private readonly SandboxFixture sandbox;

    protected SandboxedExecutorKernelSurfaceTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    // System call numbers are per architecture; the tests run on x86_64 or arm64.
    private static readonly string Syscalls = """
        import ctypes, errno, os
        libc = ctypes.CDLL(None, use_errno=True)
        NR = {"x86_64": dict(add_key=248, keyctl=250, io_uring_setup=425, bpf=321, perf_event_open=298, userfaultfd=323, ptrace=101),
              "aarch64": dict(add_key=217, keyctl=219, io_uring_setup=425, bpf=280, perf_event_open=241, userfaultfd=282, ptrace=117)}[os.uname().machine]
        def outcome(result):
            return "ok" if result != -1 else errno.errorcode[ctypes.get_errno()]
        """;

    [Fact]
    public async Task A_box_can_neither_add_nor_read_kernel_keys_nor_list_other_uids_keys()
    {
        // Arrange: what a snippet would do to leave a key for a later run on the same uid, or to read another's.
        var code = Syscalls + "\n" + """
            print("add_key", outcome(libc.syscall(NR["add_key"], b"user", b"left-behind", b"secret", 6, -4)))
            print("persistent keyring", outcome(libc.syscall(NR["keyctl"], 22, -1, -4)))
            print("read by serial", outcome(libc.syscall(NR["keyctl"], 11, 12345, None, 0)))
            for listing in ["/proc/keys", "/proc/key-users"]:
                try:
                    print(listing, "lines:", len(open(listing).read().splitlines()))
                except OSError as error:
                    print(listing, errno.errorcode[error.errno])
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["add_key EPERM", "persistent keyring EPERM", "read by serial EPERM"], lines[..3]);
        // Masked: unreadable, or empty; never a list of the machine's keys and uids.
        Assert.All(lines[3..], line => Assert.True(line.EndsWith("EACCES", StringComparison.Ordinal) || line.EndsWith("lines: 0", StringComparison.Ordinal), line));
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_box_cannot_make_namespaces_mount_or_reach_io_uring_bpf_perf_userfaultfd_or_ptrace()
    {
        // Arrange
        var code = Syscalls + "\n" + """
            CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET = 0x10000000, 0x00020000, 0x40000000
            print("unshare user+mount", outcome(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS)))
            print("unshare net", outcome(libc.unshare(CLONE_NEWNET)))
            print("mount tmpfs", outcome(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)))
            print("mount cgroup", outcome(libc.mount(b"none", b"/tmp", b"cgroup", 0, b"memory")))
            print("io_uring_setup", outcome(libc.syscall(NR["io_uring_setup"], 8, ctypes.create_string_buffer(128))))
            print("bpf", outcome(libc.syscall(NR["bpf"], 0, ctypes.create_string_buffer(128), 128)))
            print("perf_event_open", outcome(libc.syscall(NR["perf_event_open"], ctypes.create_string_buffer(128), 0, -1, -1, 0)))
            print("userfaultfd", outcome(libc.syscall(NR["userfaultfd"], 0)))
            pid = os.fork()
            if pid == 0:
                import time; time.sleep(2); os._exit(0)
            print("ptrace attach", outcome(libc.syscall(NR["ptrace"], 16, pid, None, None)))
            os.kill(pid, 9)
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        Assert.Equal(
            "unshare user+mount EPERM\nunshare net EPERM\nmount tmpfs EPERM\nmount cgroup EPERM\nio_uring_setup ENOSYS\n" +
            "bpf EPERM\nperf_event_open EPERM\nuserfaultfd EPERM\nptrace attach EPERM\n",
            result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Theory]
    [InlineData("python", "import threading, subprocess\nout = []\nts = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]\n[t.start() for t in ts]; [t.join() for t in ts]\nprint(sorted(out) == list(range(8)), subprocess.run(['/bin/echo', 'child'], capture_output=True, text=True).stdout.strip())", "True child\n")]
    [InlineData("javascript", "const { Worker } = require('worker_threads');\nnew Worker('require(\"worker_threads\").parentPort.postMessage(6 * 7)', { eval: true }).on('message', m => console.log('worker', m));", "worker 42\n")]
    [InlineData("bash", "f() { echo \"$1\"; }\nfor i in 3 1 2; do f $i; done | sort | tr '\\n' ' ' ; (cd /tmp && echo sub $(pwd))", "1 2 3 sub /tmp\n")]
    [InlineData("c", "#include <pthread.h>\n#include <stdio.h>\nstatic int sum;\nstatic pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\nstatic void *add(void *a) { pthread_mutex_lock(&m); sum += *(int *)a; pthread_mutex_unlock(&m); return 0; }\nint main(void) { pthread_t t[4]; int v[4] = {1, 2, 3, 4}; for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, add, &v[i]); for (int i = 0; i < 4; i++) pthread_join(t[i], 0); printf(\"threads %d\\n\", sum); return 0; }", "threads 10\n")]
    public async Task The_filter_leaves_threads_children_workers_and_pipelines_working(string language, string code, string expected)
    {
        // Act
        var result = await sandbox.RunAsync(language, code, new ExecutionLimits { WallTimeMs = 8000 });

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stdout} {result.Stderr}");
        Assert.Equal(expected, result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Numpy_works_under_the_filter()
    {
        // numpy starts a pool of OpenBLAS threads and maps memory in ways plain Python does not.
        if (!Directory.Exists("/usr/lib/python3/dist-packages/numpy"))
        {
            Assert.Fail("numpy is not installed: apt-get install python3-numpy (./test.sh installs it)");
        }

        // Act
        var result = await sandbox.RunAsync("python", "import numpy as np\na = np.arange(12.0).reshape(3, 4)\nprint(int((a @ a.T).trace()))");

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        Assert.Equal("506\n", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task No_server_thread_is_ever_in_a_runs_cgroup_even_when_runs_fill_their_process_limit()
    {
        // Arrange: boxes that fill their process limit, started while others run, so the host starts
        // boxes (and their output readers) while groups are full.
        sandbox.RequireMemoryCgroup();
        const string code = "import os, time\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(2); os._exit(0)\nexcept OSError:\n    time.sleep(1)";
        var limits = new ExecutionLimits { MaxProcesses = 8, WallTimeMs = 3000 };
        var seen = new List<string>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                seen.AddRange(ServerThreadsInRunCgroups());
                await Task.Delay(1);
            }
        });

        // Act
        var runs = Enumerable.Range(0, 6).Select(async index =>
        {
            await Task.Delay(index * 150);
            return await sandbox.RunAsync("python", code, limits);
        }).ToArray();
        var results = await Task.WhenAll(runs);
        await stop.CancelAsync();
        await watcher;

        // Assert
        Assert.All(results, result => Assert.NotEqual(RunStatus.InternalError, result.Status));
        Assert.True(seen.Count == 0, "server threads were in run cgroups: " + string.Join("; ", seen.Distinct().Take(10)));
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task No_host_path_shows_in_a_boxs_mount_table()
    {
        // Arrange: C always starts cold, with its code handed in from the host.
        const string code = "#include <stdio.h>\nint main(void) { FILE *f = fopen(\"/proc/self/mountinfo\", \"r\"); char line[1024]; while (fgets(line, sizeof line, f)) fputs(line, stdout); return 0; }";

        // Act
        var result = await sandbox.RunAsync("c", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Stderr}");
        Assert.Contains(" /box ", result.Stdout);
        Assert.DoesNotContain(sandbox.RunRoot, result.Stdout);
        Assert.DoesNotContain("codechatter", result.Stdout);
        Assert.DoesNotContain("main.c", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    /// <summary>Threads of this process whose cgroup (in any hierarchy) is a run's.</summary>
    private static IEnumerable<string> ServerThreadsInRunCgroups()
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string groups;
            try
            {
                groups = File.ReadAllText(Path.Combine(task, "cgroup"));
            }
            catch (IOException)
            {
                continue; // the thread ended while we looked
            }
            if (groups.Contains("/codechatter-runs", StringComparison.Ordinal))
            {
                var id = Path.GetFileName(task);
                yield return $"thread {id} ({ThreadName(id)}) in {groups.ReplaceLineEndings(" ").Trim()}";
            }
        }
    }

    private static string ThreadName(string task)
    {
        try
        {
            return File.ReadAllText($"/proc/self/task/{task}/comm").Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartSandboxedExecutorKernelSurfaceTests(SandboxFixture sandbox) : SandboxedExecutorKernelSurfaceTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedSandboxedExecutorKernelSurfaceTests(SandboxFixture sandbox) : SandboxedExecutorKernelSurfaceTests(sandbox, prestarted: true);
