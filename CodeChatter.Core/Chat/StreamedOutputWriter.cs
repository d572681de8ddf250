using Microsoft.Extensions.Logging;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Writes a run's output into its in-flight row while it runs, so a run cut off by a crash (kill -9, the
/// machine losing power) still shows what it printed. At most one write per <see cref="Interval"/>, from
/// a loop of its own that starts with the first output, so the executor's readers never wait for the
/// database; a run that ends within the interval (a <c>print(1)</c>) costs no write here, only its one
/// final write.
/// </summary>
internal sealed class StreamedOutputWriter(LiveRun live, Func<StreamedOutput, Task> save, ILogger logger) : IAsyncDisposable
{
    /// <summary>The most a crash can lose of what a run printed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _ended = new();
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Called for each chunk, on the executor's reader threads; only the first one starts the loop.</summary>
    public void OutputArrived()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) Volatile.Write(ref _loop, Task.Run(WriteWhileRunningAsync));
    }

    private async Task WriteWhileRunningAsync()
    {
        var written = 0;
        try
        {
            while (true)
            {
                await Task.Delay(Interval, _ended.Token);
                var output = live.OutputSoFar();
                if (output.ChunkCount == written) continue;
                try
                {
                    await save(output);
                    written = output.ChunkCount;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The final write still stores everything; a failed write here only narrows what a crash keeps.
                    logger.LogWarning(exception, "Could not write the output of run {ExecutionId} so far", live.ExecutionId);
                }
            }
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
            // The run ended; its final write takes over.
        }
    }

    /// <summary>Stops writing and waits for a write under way, so none lands after the final one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _ended.CancelAsync();
        await Volatile.Read(ref _loop);
        _ended.Dispose();
    }
}
