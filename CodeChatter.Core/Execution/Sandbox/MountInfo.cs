namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>A mount as /proc/self/mountinfo lists it, with the fields cgroup detection needs.</summary>
/// <param name="Root">The folder of the file system that is mounted (a cgroup hierarchy may be mounted from a sub-group).</param>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="FileSystemType">"cgroup", "cgroup2", "tmpfs", …</param>
/// <param name="SuperOptions">The per-superblock options; for cgroup v1 they name the hierarchy's controllers.</param>
internal sealed record MountInfo(string Root, string MountPoint, string FileSystemType, IReadOnlyList<string> SuperOptions)
{
    /// <summary>The first mount of <paramref name="fileSystemType"/> (with <paramref name="controller"/> among its options, when given).</summary>
    public static MountInfo? Find(IEnumerable<string> mountInfo, string fileSystemType, string? controller) =>
        mountInfo.Select(Parse).FirstOrDefault(mount =>
            mount is not null && mount.FileSystemType == fileSystemType
            && (controller is null || mount.SuperOptions.Contains(controller)));

    /// <summary>One line of mountinfo, or null when it does not have the fields of one.</summary>
    public static MountInfo? Parse(string line)
    {
        // "36 25 0:32 / /sys/fs/cgroup/memory rw,relatime shared:15 - cgroup cgroup rw,memory": the optional
        // fields end at " - ", then come the type, the source and the superblock options.
        var separator = line.IndexOf(" - ", StringComparison.Ordinal);
        if (separator < 0) return null;
        var before = line[..separator].Split(' ');
        var after = line[(separator + 3)..].Split(' ');
        if (before.Length < 5 || after.Length < 3) return null;
        return new MountInfo(before[3], before[4], after[0], after[2].Split(','));
    }
}
