namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// The cgroup features this machine gives the server: a memory limit, a process limit and CPU/memory
/// accounting per run. Hosts differ (cgroup v1 on this kind of container, pure v2 on most production
/// hosts), so this is detected once at start-up and reported by <c>doctor</c>.
/// </summary>
internal abstract class CgroupSupport
{
    public abstract string Description { get; }
    public abstract bool HasMemory { get; }
    public abstract bool HasPids { get; }
    public abstract bool HasCpuAccounting { get; }

    public abstract RunCgroup Create(string name, long memoryBytes, int maxProcesses);

    /// <summary>Every run group that exists now, by folder, with its name as given to <see cref="Create"/>.</summary>
    protected abstract IEnumerable<(string Folder, string Name)> ExistingRunGroups();

    /// <summary>
    /// Kills what is left in, and removes, every run group whose server is gone (a crash, a
    /// <c>kill -9</c>): run groups are named after their server instance, so groups of servers that
    /// still run on this machine are left alone. Returns how many were removed.
    /// </summary>
    public int RemoveStaleRunGroups()
    {
        var removed = 0;
        foreach (var (folder, name) in ExistingRunGroups().ToArray())
        {
            if (!ServerInstance.IsStale(name)) continue;
            RunCgroup.KillUntilEmpty(Path.Combine(folder, "cgroup.procs"));
            RunCgroup.RemoveDirectory(folder);
            removed++;
        }
        return removed;
    }

    public static CgroupSupport? Detect()
    {
        try
        {
            var memberships = File.ReadAllLines("/proc/self/cgroup");
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            return (CgroupSupport?)CgroupV1Support.TryCreate(memberships, mounts) ?? CgroupV2Support.TryCreate(memberships, mounts);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    protected static bool TryMakeDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>The cgroup of one run. Disposing kills whatever is left in it and removes it.</summary>
internal abstract class RunCgroup : IDisposable
{
    /// <summary>
    /// The <c>cgroup.procs</c> files a box's first process writes its own pid into before it starts
    /// anything (see <c>SandboxCommandLine</c>): the box is born inside, and no server thread ever is.
    /// </summary>
    public abstract IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>Lowers the memory and process limits for the run a pre-started sandbox is handed.</summary>
    public abstract void Tighten(long memoryBytes, int maxProcesses);

    public abstract long? CpuTimeMs();
    public abstract long? PeakMemoryBytes();

    /// <summary>Memory the group uses now (a session's, for the live list).</summary>
    public abstract long? MemoryBytesNow();
    public abstract bool WasOutOfMemory();

    /// <summary>SIGKILLs every process in the group, repeatedly, until it is empty.</summary>
    public abstract void KillAll();

    public abstract void Dispose();

    /// <summary>Whether <see cref="Dispose"/> emptied and removed every group of the run (the kernel refuses to remove a group with a process in it).</summary>
    public bool IsRemoved { get; protected set; }

    protected static long? ReadLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    protected static IReadOnlyList<int> ReadPids(string path)
    {
        try
        {
            return File.ReadAllLines(path).Select(line => int.TryParse(line, out var pid) ? pid : 0)
                .Where(pid => pid > 0).ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    protected static void Write(string path, string value) => File.WriteAllText(path, value);

    internal static void KillUntilEmpty(string procsFile)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var pids = ReadPids(procsFile);
            if (pids.Count == 0) return;
            // Never the server itself, whatever a group lists.
            var others = pids.Where(pid => pid != Environment.ProcessId).ToArray();
            if (others.Length == 0) return;
            foreach (var pid in others) NativeMethods.KillHard(pid);
            Thread.Sleep(2);
        }
    }

    /// <returns>Whether the group is gone.</returns>
    internal static bool RemoveDirectory(string path)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path);
                return true;
            }
            catch (IOException)
            {
                // A cgroup can only be removed once its last process is reaped.
                Thread.Sleep(5);
            }
        }
        return false;
    }
}
