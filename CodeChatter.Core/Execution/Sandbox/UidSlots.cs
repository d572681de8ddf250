using System.Collections.Concurrent;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Hands each concurrent run its own unused uid. As root, RLIMIT_NPROC does not apply and a user
/// namespace maps back to root, so the sandbox drops to a uid of its own; giving each slot a distinct
/// uid keeps one run's process count and leftovers from touching another's.
/// </summary>
internal sealed class UidSlots
{
    private readonly ConcurrentBag<int> _free;
    private readonly SemaphoreSlim _available;

    public UidSlots(int firstUid, int count)
    {
        _free = new ConcurrentBag<int>(Enumerable.Range(firstUid, count));
        _available = new SemaphoreSlim(count, count);
    }

    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        if (!_free.TryTake(out var uid)) throw new InvalidOperationException("uid slot accounting is broken");
        return new Lease(this, uid);
    }

    public sealed class Lease(UidSlots owner, int uid) : IDisposable
    {
        private int _released;

        public int Uid => uid;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            owner._free.Add(uid);
            owner._available.Release();
        }
    }

    /// <summary>SIGKILLs every process owned by <paramref name="uid"/>, until none is left.</summary>
    public static int KillEverythingOwnedBy(int uid)
    {
        var killed = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var pids = ProcessesOwnedBy(uid);
            if (pids.Count == 0) return killed;
            foreach (var pid in pids) NativeMethods.KillHard(pid);
            killed += pids.Count;
            Thread.Sleep(2);
        }
        return killed;
    }

    /// <summary>Pids whose real uid is <paramref name="uid"/>, read from /proc.</summary>
    public static IReadOnlyList<int> ProcessesOwnedBy(int uid)
    {
        var owned = new List<int>();
        var wanted = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(directory, "status")))
                {
                    if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
                    var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                    // Zombies are already dead and only wait for their parent to reap them.
                    if (fields.Length > 1 && fields[1] == wanted && !IsZombie(directory)) owned.Add(pid);
                    break;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return owned;
    }

    private static bool IsZombie(string procDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
