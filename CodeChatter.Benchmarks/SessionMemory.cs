using System.Globalization;

namespace CodeChatter.Benchmarks;

/// <summary>What an idle Python session occupies on the host.</summary>
/// <param name="HostPid">The session interpreter's pid on the host.</param>
/// <param name="Uid">Its real uid (a sandbox slot uid).</param>
/// <param name="ResidentKib">Its VmRSS (shared library pages included).</param>
/// <param name="ProportionalKib">Its Pss from smaps_rollup (shared pages divided among their users), when readable.</param>
/// <param name="BoxProcesses">Processes in the session's pid namespace.</param>
/// <param name="BoxResidentKib">Their VmRSS summed.</param>
/// <param name="CgroupBytes">The memory charged to the session's own cgroup, when it has one.</param>
/// <param name="CgroupFile">Where <paramref name="CgroupBytes"/> was read.</param>
/// <param name="IsDashC">Whether the interpreter's command line has <c>-c</c> (the driver script).</param>
internal sealed record SessionFootprint(
    int HostPid, int Uid, long ResidentKib, long? ProportionalKib, int BoxProcesses, long BoxResidentKib,
    long? CgroupBytes, string? CgroupFile, bool IsDashC);

/// <summary>
/// Finds a session's interpreter among the host's processes. The session itself reports its pid as it
/// sees it and the inode of its pid namespace (<c>os.getpid()</c>, <c>os.stat('/proc/self/ns/pid').st_ino</c>);
/// on the host the process is the one in that namespace (<c>/proc/N/ns/pid</c> is <c>pid:[inode]</c>) whose
/// last <c>NSpid</c> is that pid. Prestarted boxes of fresh runs run the same interpreter under slot uids
/// too, which is why the namespace, not the command line, picks it out.
/// </summary>
internal static class SessionMemory
{
    /// <summary>Python that prints what <see cref="Find"/> needs: the pid inside the box and its pid namespace's inode.</summary>
    public const string IdentifyCode = "import os\nprint(os.getpid(), os.stat('/proc/self/ns/pid').st_ino)";

    public static SessionFootprint Find(string identifyOutput, int serverPid)
    {
        var parts = identifyOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var boxPid) || !ulong.TryParse(parts[1], out var namespaceInode))
        {
            throw new InvalidOperationException($"the session answered '{identifyOutput.Trim()}' to the pid question");
        }
        var namespaceLink = $"pid:[{namespaceInode}]";
        var members = new List<int>();
        int? interpreter = null;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                if (new FileInfo($"/proc/{pid}/ns/pid").LinkTarget != namespaceLink) continue;
                members.Add(pid);
                var nsPid = StatusField(pid, "NSpid")?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
                if (nsPid == boxPid.ToString(CultureInfo.InvariantCulture)) interpreter = pid;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was looked at.
            }
        }
        if (interpreter is not { } hostPid)
        {
            throw new InvalidOperationException($"no host process in pid namespace {namespaceLink} has in-box pid {boxPid} ({members.Count} in that namespace)");
        }

        var uid = int.Parse(StatusField(hostPid, "Uid")!.Split('\t', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        var commandLine = File.ReadAllText($"/proc/{hostPid}/cmdline").Split('\0');
        var boxResident = members.Sum(pid => Kib(StatusField(pid, "VmRSS")) ?? 0);
        var (cgroupBytes, cgroupFile) = CgroupMemory(hostPid, serverPid);
        return new SessionFootprint(hostPid, uid, Kib(StatusField(hostPid, "VmRSS")) ?? 0, Pss(hostPid), members.Count, boxResident,
            cgroupBytes, cgroupFile, commandLine.Contains("-c"));
    }

    /// <summary>
    /// The memory charged to the cgroup the interpreter is in, when that cgroup is not the server's own
    /// (then it is the session's): <c>memory.current</c> on cgroup v2, <c>memory.usage_in_bytes</c> on v1.
    /// </summary>
    private static (long? Bytes, string? File) CgroupMemory(int pid, int serverPid)
    {
        var mine = CgroupPath(pid);
        var server = CgroupPath(serverPid);
        if (mine is null || mine == server) return (null, null);
        var file = mine.Value.V2
            ? Path.Combine("/sys/fs/cgroup", mine.Value.Path.TrimStart('/'), "memory.current")
            : Path.Combine("/sys/fs/cgroup/memory", mine.Value.Path.TrimStart('/'), "memory.usage_in_bytes");
        try
        {
            return (long.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture), file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return (null, null);
        }
    }

    /// <summary>The process's memory cgroup: the v1 memory controller's line, else the v2 line on a pure v2 host.</summary>
    private static (bool V2, string Path)? CgroupPath(int pid)
    {
        string[] lines;
        try { lines = File.ReadAllLines($"/proc/{pid}/cgroup"); }
        catch (IOException) { return null; }
        foreach (var line in lines)
        {
            var fields = line.Split(':', 3);
            if (fields.Length == 3 && fields[1].Split(',').Contains("memory")) return (false, fields[2]);
        }
        var unified = lines.Select(l => l.Split(':', 3)).FirstOrDefault(f => f.Length == 3 && f[0] == "0" && f[1] == "");
        return unified is not null && File.Exists("/sys/fs/cgroup/cgroup.controllers") ? (true, unified[2]) : null;
    }

    private static string? StatusField(int pid, string name)
    {
        var prefix = name + ":";
        return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
    }

    private static long? Pss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return Kib(line?["Pss:".Length..].Trim());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"12345 kB" as 12345.</summary>
    private static long? Kib(string? value) =>
        value is not null && long.TryParse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var kib) ? kib : null;
}
