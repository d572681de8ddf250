using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat;

/// <summary>
/// The runs in flight on this server, so a browser can watch one print and stop it. Kept in memory: a run
/// lives in one process, and its stored row is the record once it ends. A finished run stays a short while
/// (<see cref="Linger"/>) so a browser that reconnects just after the end still catches up from here.
/// </summary>
public sealed class LiveRuns
{
    /// <summary>How long a finished run stays after its end.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, LiveRun> _runs = new();
    private readonly TimeProvider _time;

    /// <summary>A registry on the given clock (the system clock when null).</summary>
    public LiveRuns(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Registers a run that is about to start. Its <see cref="LiveRun.Token"/> is cancelled by
    /// <see cref="LiveRun.Stop"/> and by <paramref name="stopping"/> (the host shutting down).
    /// </summary>
    /// <param name="executionId">The run's stored id.</param>
    /// <param name="ownerId">Who sent it.</param>
    /// <param name="stopping">The host shutting down.</param>
    /// <param name="input">What the person types into the run while it is in flight; null when it takes none.</param>
    public LiveRun Begin(long executionId, string ownerId, CancellationToken stopping, RunInput? input = null)
    {
        ArgumentNullException.ThrowIfNull(ownerId);
        Purge();
        var run = new LiveRun(executionId, ownerId, stopping, _time, input);
        _runs[executionId] = run;
        return run;
    }

    /// <summary>The run with that id if it is that person's and still here (in flight or just finished).</summary>
    public LiveRun? Find(long executionId, string ownerId)
    {
        Purge();
        return _runs.TryGetValue(executionId, out var run) && string.Equals(run.OwnerId, ownerId, StringComparison.Ordinal)
            ? run
            : null;
    }

    private void Purge()
    {
        var now = _time.GetUtcNow();
        foreach (var (id, run) in _runs)
        {
            if (run.FinishedAt is { } finished && now - finished > Linger && _runs.TryRemove(new(id, run)))
            {
                run.Dispose();
            }
        }
    }
}

/// <summary>
/// One run in flight: the output so far, numbered from 1 in the order it was printed, and whoever is
/// watching. Thread-safe: the executor appends from its stdout and stderr readers at once.
/// </summary>
public sealed class LiveRun : IDisposable
{
    private readonly object _gate = new();
    private readonly List<LiveChunk> _chunks = [];
    private readonly List<Channel<LiveRunEvent>> _watchers = [];
    private readonly CancellationTokenSource _cancellation;
    private readonly TimeProvider _time;
    private ExecutionResult? _result;
    private DateTimeOffset? _finishedAt;
    private bool _stopRequested;

    internal LiveRun(long executionId, string ownerId, CancellationToken stopping, TimeProvider time, RunInput? input = null)
    {
        ExecutionId = executionId;
        OwnerId = ownerId;
        Input = input;
        _time = time;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <summary>The run's stored id.</summary>
    public long ExecutionId { get; }

    /// <summary>Who sent it.</summary>
    public string OwnerId { get; }

    /// <summary>What the person types into the run while it is in flight; null for a run that takes no typed input.</summary>
    public RunInput? Input { get; }

    /// <summary>Passes typed text to the run (a line with its newline).</summary>
    /// <returns>False when the run takes no typed input, its input has ended, it has ended, or the text would
    /// pass the most a run accepts.</returns>
    public bool SendInput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Input is null) return false;
        lock (_gate)
        {
            if (_result is not null) return false;
        }
        return Input.Send(text);
    }

    /// <summary>Ends the run's typed input (Ctrl+D): its next read past what was sent sees end of file. No-op when it takes none or it has ended.</summary>
    public void EndInput() => Input?.End();

    /// <summary>Cancelled when the run must end: a person pressed Stop or the host is stopping.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Whether a person asked for this run to stop (as opposed to the host stopping).</summary>
    public bool StopRequested
    {
        get { lock (_gate) return _stopRequested; }
    }

    /// <summary>How the run ended; null while it is in flight.</summary>
    public ExecutionResult? Result
    {
        get { lock (_gate) return _result; }
    }

    /// <summary>When it ended; null while it is in flight.</summary>
    public DateTimeOffset? FinishedAt
    {
        get { lock (_gate) return _finishedAt; }
    }

    /// <summary>Adds printed output and passes it to everyone watching. The executor's output callback.</summary>
    public void Append(OutputChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Text.Length == 0) return;
        lock (_gate)
        {
            if (_result is not null) return;
            var numbered = new LiveChunk(_chunks.Count + 1, chunk.Stream, chunk.Text);
            _chunks.Add(numbered);
            foreach (var watcher in _watchers) watcher.Writer.TryWrite(numbered);
        }
    }

    /// <summary>What the run has printed so far, by stream, and in how many chunks.</summary>
    public StreamedOutput OutputSoFar()
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        lock (_gate)
        {
            foreach (var chunk in _chunks) (chunk.Stream == OutputStream.Stdout ? stdout : stderr).Append(chunk.Text);
            return new StreamedOutput(_chunks.Count, stdout.ToString(), stderr.ToString());
        }
    }

    /// <summary>Records how the run ended (after it is stored) and ends every watcher's stream with it.</summary>
    public void Complete(ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (_result is not null) return;
            _result = result;
            _finishedAt = _time.GetUtcNow();
            // Nothing reads typed input once the run is over.
            Input?.End();
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(new LiveEnd(result));
                watcher.Writer.TryComplete();
            }
            _watchers.Clear();
        }
    }

    /// <summary>Asks the run to stop; it then ends as <c>killed</c>.</summary>
    /// <returns>False when it had already ended.</returns>
    public bool Stop()
    {
        lock (_gate)
        {
            if (_result is not null) return false;
            _stopRequested = true;
        }
        try
        {
            // Outside the lock: cancelling runs the executor's kill synchronously.
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        return true;
    }

    /// <summary>
    /// Starts watching: first the chunks numbered after <paramref name="afterSequence"/> (0 for all), then
    /// new ones as they are printed, then a <see cref="LiveEnd"/>; the reader completes after it.
    /// </summary>
    public LiveWatch Watch(long afterSequence = 0)
    {
        var channel = Channel.CreateUnbounded<LiveRunEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            var resumed = afterSequence >= 0 && afterSequence <= _chunks.Count;
            foreach (var chunk in _chunks.Skip(resumed ? (int)afterSequence : 0)) channel.Writer.TryWrite(chunk);
            if (_result is not null)
            {
                channel.Writer.TryWrite(new LiveEnd(_result));
                channel.Writer.TryComplete();
            }
            else
            {
                _watchers.Add(channel);
            }
            return new LiveWatch(channel.Reader, resumed, () => Unwatch(channel));
        }
    }

    private void Unwatch(Channel<LiveRunEvent> channel)
    {
        lock (_gate) _watchers.Remove(channel);
    }

    /// <inheritdoc />
    public void Dispose() => _cancellation.Dispose();
}

/// <summary>Something that happened to a live run.</summary>
public abstract record LiveRunEvent;

/// <summary>Printed output.</summary>
/// <param name="Sequence">Its number within the run, from 1.</param>
/// <param name="Stream">stdout or stderr.</param>
/// <param name="Text">What was printed.</param>
public sealed record LiveChunk(long Sequence, OutputStream Stream, string Text) : LiveRunEvent;

/// <summary>A live run's output so far.</summary>
/// <param name="ChunkCount">How many chunks it came in; grows with every new one.</param>
/// <param name="Stdout">Everything printed to stdout.</param>
/// <param name="Stderr">Everything printed to stderr.</param>
public sealed record StreamedOutput(int ChunkCount, string Stdout, string Stderr);

/// <summary>The run ended and is stored.</summary>
/// <param name="Result">How it ended.</param>
public sealed record LiveEnd(ExecutionResult Result) : LiveRunEvent;

/// <summary>One watcher of a live run; dispose it to stop watching.</summary>
public sealed class LiveWatch : IDisposable
{
    private readonly Action _unwatch;

    internal LiveWatch(ChannelReader<LiveRunEvent> events, bool resumed, Action unwatch)
    {
        Events = events;
        Resumed = resumed;
        _unwatch = unwatch;
    }

    /// <summary>The events, ending after <see cref="LiveEnd"/>.</summary>
    public ChannelReader<LiveRunEvent> Events { get; }

    /// <summary>
    /// Whether the watch continues after the requested number; false when that number was unknown here and
    /// every chunk was sent again from the first.
    /// </summary>
    public bool Resumed { get; }

    /// <inheritdoc />
    public void Dispose() => _unwatch();
}
