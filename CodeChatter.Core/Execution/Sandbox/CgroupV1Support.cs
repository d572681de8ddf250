using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// cgroup v1: one hierarchy per controller. Groups are made under the server's own group in each
/// hierarchy (memory groups elsewhere are refused on this kind of host).
/// </summary>
internal sealed class CgroupV1Support : CgroupSupport
{
    private const string ParentName = "codechatter-runs";
    private readonly Dictionary<string, string> _homes; // controller -> the server's own group
    private readonly Dictionary<string, string> _parents; // controller -> parent of run groups

    private CgroupV1Support(Dictionary<string, string> homes)
    {
        _homes = homes;
        _parents = homes.ToDictionary(pair => pair.Key, pair => Path.Combine(pair.Value, ParentName));
    }

    public override string Description =>
        $"cgroup v1 ({string.Join(", ", _homes.Keys.Order())})";
    public override bool HasMemory => _homes.ContainsKey("memory");
    public override bool HasPids => _homes.ContainsKey("pids");
    public override bool HasCpuAccounting => _homes.ContainsKey("cpuacct");

    public static CgroupV1Support? TryCreate(string[] memberships, string[] mountInfo)
    {
        var homes = new Dictionary<string, string>();
        foreach (var controller in new[] { "memory", "pids", "cpuacct" })
        {
            var membership = memberships.Select(line => line.Split(':', 3))
                .FirstOrDefault(parts => parts.Length == 3 && parts[1].Split(',').Contains(controller));
            var mount = MountInfo.Find(mountInfo, "cgroup", controller);
            if (membership is null || mount is null) continue;
            var relative = membership[2].StartsWith(mount.Root, StringComparison.Ordinal)
                ? membership[2][mount.Root.Length..].TrimStart('/')
                : membership[2].TrimStart('/');
            var home = Path.Combine(mount.MountPoint, relative);
            if (File.Exists(Path.Combine(home, "tasks")) && TryMakeDirectory(Path.Combine(home, ParentName)))
            {
                homes[controller] = home;
            }
        }
        return homes.Count == 0 ? null : new CgroupV1Support(homes);
    }

    public override RunCgroup Create(string name, long memoryBytes, int maxProcesses)
    {
        var groups = new Dictionary<string, string>();
        try
        {
            foreach (var (controller, parent) in _parents)
            {
                var path = Path.Combine(parent, name);
                Directory.CreateDirectory(path);
                groups[controller] = path;
            }
            if (groups.TryGetValue("memory", out var memory))
            {
                File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                // Without a swap limit a run could page out past its memory limit.
                var swapLimit = Path.Combine(memory, "memory.memsw.limit_in_bytes");
                if (File.Exists(swapLimit)) File.WriteAllText(swapLimit, memoryBytes.ToString(CultureInfo.InvariantCulture));
            }
            if (groups.TryGetValue("pids", out var pids))
            {
                File.WriteAllText(Path.Combine(pids, "pids.max"), maxProcesses.ToString(CultureInfo.InvariantCulture));
            }
            return new Run(groups, memoryBytes, maxProcesses);
        }
        catch
        {
            new Run(groups, memoryBytes, maxProcesses).Dispose();
            throw;
        }
    }

    protected override IEnumerable<(string Folder, string Name)> ExistingRunGroups() =>
        _parents.Values.Where(Directory.Exists)
            .SelectMany(parent => Directory.EnumerateDirectories(parent).Select(folder => (folder, Path.GetFileName(folder))));

    private sealed class Run(Dictionary<string, string> groups, long memoryBytes, int maxProcesses) : RunCgroup
    {
        public override void Tighten(long newMemoryBytes, int newMaxProcesses)
        {
            if (newMemoryBytes < memoryBytes && groups.TryGetValue("memory", out var memory))
            {
                // Memory first: the memory+swap limit may never be below the memory limit.
                Write(Path.Combine(memory, "memory.limit_in_bytes"), newMemoryBytes.ToString(CultureInfo.InvariantCulture));
                var swapLimit = Path.Combine(memory, "memory.memsw.limit_in_bytes");
                if (File.Exists(swapLimit)) Write(swapLimit, newMemoryBytes.ToString(CultureInfo.InvariantCulture));
                memoryBytes = newMemoryBytes;
            }
            if (newMaxProcesses < maxProcesses && groups.TryGetValue("pids", out var pids))
            {
                Write(Path.Combine(pids, "pids.max"), newMaxProcesses.ToString(CultureInfo.InvariantCulture));
                maxProcesses = newMaxProcesses;
            }
        }

        public override IReadOnlyList<string> ProcsFiles { get; } =
            groups.Values.Select(group => Path.Combine(group, "cgroup.procs")).ToArray();

        public override long? CpuTimeMs() =>
            groups.TryGetValue("cpuacct", out var cpu) && ReadLong(Path.Combine(cpu, "cpuacct.usage")) is { } nanoseconds
                ? nanoseconds / 1_000_000
                : null;

        public override long? PeakMemoryBytes() =>
            groups.TryGetValue("memory", out var memory) ? ReadLong(Path.Combine(memory, "memory.max_usage_in_bytes")) : null;

        public override long? MemoryBytesNow() =>
            groups.TryGetValue("memory", out var memory) ? ReadLong(Path.Combine(memory, "memory.usage_in_bytes")) : null;

        public override bool WasOutOfMemory()
        {
            if (!groups.TryGetValue("memory", out var memory)) return false;
            try
            {
                // "oom_kill N" counts processes the kernel killed for this group's limit.
                return File.ReadAllLines(Path.Combine(memory, "memory.oom_control"))
                    .Any(line => line.StartsWith("oom_kill ", StringComparison.Ordinal) && line != "oom_kill 0");
            }
            catch (IOException)
            {
                return false;
            }
        }

        public override void KillAll()
        {
            foreach (var group in groups.Values) KillUntilEmpty(Path.Combine(group, "cgroup.procs"));
        }

        public override void Dispose()
        {
            KillAll();
            var removed = true;
            foreach (var group in groups.Values) removed &= RemoveDirectory(group);
            IsRemoved = removed && groups.Count > 0;
        }
    }
}
