using System.Globalization;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Hands each sandbox its own unused uid. As root, RLIMIT_NPROC does not apply and a user namespace
/// maps back to root, so the sandbox drops to a uid of its own; a distinct uid per sandbox keeps one
/// run's process count and leftovers from touching another's. A uid is held with an exclusive lock
/// file, so two servers (or test runs) on one machine never share one even with overlapping ranges:
/// after each run everything the uid owns is killed, which must only ever hit that run.
/// The lock file says whether its last holder let go cleanly: a holder writes its pid into it and
/// empties it again when it releases the uid after its sweep. A server that crashed leaves its pid
/// there, so the next holder kills whatever still runs under that uid before using it.
/// </summary>
internal sealed class UidSlots
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(10);

    private readonly int _firstUid;
    private readonly int _candidates;
    private readonly string _lockDirectory;
    private readonly SemaphoreSlim _available;
    private readonly HashSet<int> _heldHere = [];

    /// <param name="firstUid">The first uid of the range.</param>
    /// <param name="count">How many sandboxes may hold a uid at once in this process.</param>
    /// <param name="lockDirectory">Where the per-uid lock files live (shared by every server on the machine).</param>
    public UidSlots(int firstUid, int count, string lockDirectory)
    {
        _firstUid = firstUid;
        // Room to skip uids other processes hold without waiting.
        _candidates = count * 4;
        _lockDirectory = lockDirectory;
        _available = new SemaphoreSlim(count, count);
    }

    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (TryLockFreeUid() is { } lease) return lease;
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
        catch
        {
            _available.Release();
            throw;
        }
    }

    private Lease? TryLockFreeUid()
    {
        for (var uid = _firstUid; uid < _firstUid + _candidates; uid++)
        {
            lock (_heldHere)
            {
                if (!_heldHere.Add(uid)) continue;
            }
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) that the kernel drops if we die.
                var lockFile = new FileStream(
                    Path.Combine(_lockDirectory, $"uid-{uid.ToString(CultureInfo.InvariantCulture)}.lock"),
                    FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (lockFile.Length > 0) KillEverythingOwnedBy(uid);
                lockFile.SetLength(0);
                lockFile.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
                lockFile.Flush();
                return new Lease(this, uid, lockFile);
            }
            catch (IOException)
            {
                lock (_heldHere) _heldHere.Remove(uid);
            }
        }
        return null;
    }

    public sealed class Lease(UidSlots owner, int uid, FileStream lockFile) : IDisposable
    {
        private int _released;

        public int Uid => uid;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            try
            {
                lockFile.SetLength(0);
            }
            catch (IOException)
            {
                // Left marked: the next holder sweeps the uid first, which is only slower.
            }
            lockFile.Dispose();
            lock (owner._heldHere) owner._heldHere.Remove(uid);
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
        var wanted = uid.ToString(CultureInfo.InvariantCulture);
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
