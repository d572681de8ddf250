using System.Collections.Concurrent;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Starts every sandbox from one long-lived thread. bubblewrap's <c>--die-with-parent</c> is a
/// parent-death signal tied to the thread that forked it: started from a thread-pool thread, a run
/// is killed the moment that thread retires. On cgroup v1 this thread also joins a run's groups just
/// for the fork, so the sandbox is born inside them with no window to escape.
/// </summary>
internal sealed class SandboxLauncher : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public SandboxLauncher()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "sandbox-launcher" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the launcher thread and returns what it returned.</summary>
    public Task<T> StartAsync<T>(Func<T> start)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(start());
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
