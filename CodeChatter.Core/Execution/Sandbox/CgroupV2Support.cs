using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// cgroup v2 (unified). Controllers can only be handed to child groups of a group that holds no
/// processes itself, so the server first moves itself into a "server" leaf of its own (delegated)
/// group, then makes one sibling group per run.
/// </summary>
internal sealed class CgroupV2Support : CgroupSupport
{
    private readonly string _home;
    private readonly HashSet<string> _controllers;

    private CgroupV2Support(string home, HashSet<string> controllers)
    {
        _home = home;
        _controllers = controllers;
    }

    public override string Description => $"cgroup v2 ({string.Join(", ", _controllers.Order())})";
    public override bool HasMemory => _controllers.Contains("memory");
    public override bool HasPids => _controllers.Contains("pids");
    public override bool HasCpuAccounting => _controllers.Contains("cpu");

    public static CgroupV2Support? TryCreate(string[] memberships, string[] mountInfo)
    {
        var unified = memberships.FirstOrDefault(line => line.StartsWith("0::", StringComparison.Ordinal));
        var mount = MountInfo.Find(mountInfo, "cgroup2", null)?.MountPoint;
        if (unified is null || mount is null) return null;
        var home = Path.Combine(mount, unified[3..].TrimStart('/'));
        try
        {
            var available = File.ReadAllText(Path.Combine(home, "cgroup.controllers"))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Intersect(["memory", "pids", "cpu"]).ToHashSet();
            if (available.Count == 0) return null;
            var leaf = Path.Combine(home, "server");
            Directory.CreateDirectory(leaf);
            foreach (var pid in File.ReadAllLines(Path.Combine(home, "cgroup.procs")))
            {
                File.WriteAllText(Path.Combine(leaf, "cgroup.procs"), pid);
            }
            File.WriteAllText(Path.Combine(home, "cgroup.subtree_control"), string.Join(' ', available.Select(c => "+" + c)));
            return new CgroupV2Support(home, available);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private const string RunPrefix = "run-";

    protected override IEnumerable<(string Folder, string Name)> ExistingRunGroups() =>
        Directory.EnumerateDirectories(_home, RunPrefix + "*").Select(folder => (folder, Path.GetFileName(folder)[RunPrefix.Length..]));

    public override RunCgroup Create(string name, long memoryBytes, int maxProcesses)
    {
        var path = Path.Combine(_home, RunPrefix + name);
        Directory.CreateDirectory(path);
        var run = new Run(path, memoryBytes, maxProcesses);
        try
        {
            if (HasMemory)
            {
                File.WriteAllText(Path.Combine(path, "memory.max"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                var swap = Path.Combine(path, "memory.swap.max");
                if (File.Exists(swap)) File.WriteAllText(swap, "0");
            }
            if (HasPids) File.WriteAllText(Path.Combine(path, "pids.max"), maxProcesses.ToString(CultureInfo.InvariantCulture));
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    private sealed class Run(string path, long memoryBytes, int maxProcesses) : RunCgroup
    {
        public override void Tighten(long newMemoryBytes, int newMaxProcesses)
        {
            if (newMemoryBytes < memoryBytes && File.Exists(Path.Combine(path, "memory.max")))
            {
                Write(Path.Combine(path, "memory.max"), newMemoryBytes.ToString(CultureInfo.InvariantCulture));
                memoryBytes = newMemoryBytes;
            }
            if (newMaxProcesses < maxProcesses && File.Exists(Path.Combine(path, "pids.max")))
            {
                Write(Path.Combine(path, "pids.max"), newMaxProcesses.ToString(CultureInfo.InvariantCulture));
                maxProcesses = newMaxProcesses;
            }
        }

        public override IReadOnlyList<string> ProcsFiles { get; } = [Path.Combine(path, "cgroup.procs")];

        public override long? CpuTimeMs()
        {
            try
            {
                var usage = File.ReadAllLines(Path.Combine(path, "cpu.stat"))
                    .FirstOrDefault(line => line.StartsWith("usage_usec ", StringComparison.Ordinal));
                return usage is not null && long.TryParse(usage[11..], out var microseconds) ? microseconds / 1000 : null;
            }
            catch (IOException)
            {
                return null;
            }
        }

        public override long? PeakMemoryBytes() => ReadLong(Path.Combine(path, "memory.peak"));

        public override long? MemoryBytesNow() => ReadLong(Path.Combine(path, "memory.current"));

        public override bool WasOutOfMemory()
        {
            try
            {
                return File.ReadAllLines(Path.Combine(path, "memory.events"))
                    .Any(line => line.StartsWith("oom_kill ", StringComparison.Ordinal) && line != "oom_kill 0");
            }
            catch (IOException)
            {
                return false;
            }
        }

        public override void KillAll()
        {
            var kill = Path.Combine(path, "cgroup.kill");
            if (File.Exists(kill)) Write(kill, "1");
            KillUntilEmpty(Path.Combine(path, "cgroup.procs"));
        }

        public override void Dispose()
        {
            KillAll();
            IsRemoved = RemoveDirectory(path);
        }
    }
}
