using System.Collections.Concurrent;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Starts every sandbox from one long-lived thread. bubblewrap's <c>--die-with-parent</c> is a
/// parent-death signal tied to the thread that forked it: started from a thread-pool thread, a run
/// is killed the moment that thread retires. On cgroup v1 this thread also joins a run's groups just
/// for the fork, so the sandbox is born inside them with no window to escape.
/// </summary>
/// <remarks>
/// A box may be started below normal CPU priority (a thread's nice value is inherited by what it forks):
/// the pool's refill then takes only the CPU that runs and requests leave over, and the box is raised to
/// normal priority when its run is handed over (see <see cref="SandboxProcess"/>). The same kind of thread
/// also removes finished boxes, whose short waits for the kernel must not hold thread-pool threads that
/// requests need.
/// </remarks>
internal sealed class SandboxLauncher : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    private int _niceness;

    /// <param name="name">The thread's name.</param>
    public SandboxLauncher(string name = "sandbox-launcher")
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the launcher thread and returns what it returned.</summary>
    public Task<T> StartAsync<T>(Func<T> start) => StartAsync(_ => start(), niceness: 0);

    /// <summary>
    /// Runs <paramref name="start"/> on the launcher thread at nice value <paramref name="niceness"/> (0 is
    /// normal), telling it whether that took effect: what it starts runs below normal priority only then.
    /// </summary>
    public Task<T> StartAsync<T>(Func<bool, T> start, int niceness)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                if (niceness != _niceness && NativeMethods.SetThreadNiceness(niceness)) _niceness = niceness;
                completion.SetResult(start(_niceness > 0));
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        });
        return completion.Task;
    }

    private void Loop()
    {
        foreach (var item in _work.GetConsumingEnumerable()) item();
    }

    public void Dispose() => _work.CompleteAdding();
}
