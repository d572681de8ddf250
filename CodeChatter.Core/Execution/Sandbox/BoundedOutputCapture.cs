using System.Text;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Reads one output pipe, keeps at most <c>cap</c> bytes, forwards decoded text live, and reports
/// the moment the cap is reached so the run can be stopped. Reading goes on (and is discarded) after
/// the cap so a writer never blocks on a full pipe while it is being killed.
/// </summary>
/// <remarks>
/// A pre-started Python box ends its output with an end marker (<see cref="ExpectEndMarker"/>): NUL,
/// <c>CC-END:</c>, the run's nonce, <c>:</c>, the exit code and a newline. Seeing it on both streams means
/// the run is over without waiting for the box to be torn down. Bytes that might be the start of the
/// marker are held back until they are known not to be, so the marker is never stored or streamed.
/// </remarks>
internal sealed class BoundedOutputCapture(OutputStream stream, Func<int> cap, Action onCapReached)
{
    private readonly List<byte> _pending = [];
    // A stateful decoder so a multi-byte character split across reads is not mangled; the live
    // chunks therefore add up to exactly the stored text.
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<int> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _marker;
    private int _keptBytes;
    private bool _finished;

    /// <summary>Receives live output; set at hand-over, before the program can print anything.</summary>
    public Action<OutputChunk>? Listener { get; set; }

    public bool Truncated { get; private set; }

    /// <summary>Everything kept so far. Complete once the pipe has closed or <see cref="Ended"/> has completed.</summary>
    public string Text => _text.ToString();

    /// <summary>Completes with the exit code the end marker carried.</summary>
    public Task<int> Ended => _ended.Task;

    /// <summary>Looks for the end marker of the run with this nonce (set before hand-over).</summary>
    public void ExpectEndMarker(string nonce) => _marker = Encoding.ASCII.GetBytes($"\0CC-END:{nonce}:");

    public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Write(buffer.AsSpan(0, read));
        }
        Close();
    }

    /// <summary>
    /// Takes bytes read from the pipe by someone else (a session's stream is read for the whole
    /// session and handed to one message's capture at a time). Ignored once the end marker was seen.
    /// </summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (!_finished) Accept(bytes);
    }

    /// <summary>The pipe closed (or the message is over without its marker): keeps what was held back.</summary>
    public void Close()
    {
        if (_finished) return;
        // Whatever was held back was not a marker after all.
        Keep([.. _pending]);
        _pending.Clear();
        Finish();
    }

    private void Accept(ReadOnlySpan<byte> bytes)
    {
        if (_marker is null)
        {
            Keep(bytes);
            return;
        }
        _pending.AddRange(bytes);
        while (!_finished && _pending.Count > 0)
        {
            var start = _pending.IndexOf(0);
            if (start < 0)
            {
                Keep([.. _pending]);
                _pending.Clear();
                return;
            }
            if (start > 0)
            {
                Keep([.. _pending.GetRange(0, start)]);
                _pending.RemoveRange(0, start);
            }
            switch (MatchMarker())
            {
                case null:
                    return; // Could still become the marker: wait for more bytes.
                case false:
                    Keep([_pending[0]]);
                    _pending.RemoveAt(0);
                    break;
                case true:
                    return;
            }
        }
    }

    // _pending starts with NUL. True: the marker was complete and has been handled. False: not the
    // marker. Null: too short to tell yet.
    private bool? MatchMarker()
    {
        var marker = _marker!;
        var compared = Math.Min(marker.Length, _pending.Count);
        for (var i = 0; i < compared; i++)
        {
            if (_pending[i] != marker[i]) return false;
        }
        if (_pending.Count < marker.Length) return null;
        var newline = _pending.IndexOf((byte)'\n', marker.Length);
        if (newline < 0) return _pending.Count - marker.Length > 4 ? false : null;
        var digits = Encoding.ASCII.GetString([.. _pending.GetRange(marker.Length, newline - marker.Length)]);
        if (!int.TryParse(digits, out var exitCode)) return false;
        _pending.Clear();
        Finish();
        _ended.TrySetResult(exitCode);
        return true;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (Truncated || bytes.IsEmpty) return;
        var room = cap() - _keptBytes;
        var keep = Math.Min(room, bytes.Length);
        if (keep > 0)
        {
            _keptBytes += keep;
            Publish(bytes[..keep], flush: false);
        }
        if (bytes.Length > room)
        {
            Truncated = true;
            Publish([], flush: true);
            onCapReached();
        }
    }

    private void Finish()
    {
        _finished = true;
        if (!Truncated) Publish([], flush: true);
    }

    private void Publish(ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush)];
        var count = _decoder.GetChars(bytes, chars, flush);
        if (count == 0) return;
        var text = new string(chars, 0, count);
        _text.Append(text);
        Listener?.Invoke(new OutputChunk(stream, text));
    }
}
