namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// Lets one caller through at a time, strictly in the order they arrived; a caller that gives up
/// while waiting keeps its place in the chain without holding up those behind it for longer.
/// </summary>
internal sealed class FifoGate
{
    private readonly object _lock = new();
    private Task _tail = Task.CompletedTask;

    /// <summary>Waits for every earlier caller to leave; dispose the result to let the next one in.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_lock)
        {
            previous = _tail;
            _tail = mine.Task;
        }
        try
        {
            await previous.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Our turn is passed on as soon as the one before us leaves.
            _ = previous.ContinueWith(_ => mine.TrySetResult(), TaskScheduler.Default);
            throw;
        }
        return new Turn(mine);
    }

    private sealed class Turn(TaskCompletionSource done) : IDisposable
    {
        public void Dispose() => done.TrySetResult();
    }
}
