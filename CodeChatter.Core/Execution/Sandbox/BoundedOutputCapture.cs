using System.Globalization;
using System.Runtime.InteropServices;
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
/// <para>A Python run's stdout also carries display records (<see cref="ExpectDisplayRecords"/>): NUL,
/// <c>CC-DISPLAY:</c>, the nonce, <c>:</c>, the media type, <c>:</c>, the payload's length, a newline, the
/// payload in base64 and a newline. They are taken out of the text and handed to a
/// <see cref="RichOutputCollector"/> with the number of characters printed before them. A snippet can
/// forge a record (it runs in the process that writes them and can read the nonce): that only adds an
/// item to its own reply, which it could do by calling <c>display()</c> anyway. A record with another
/// nonce is plain text. At most the rich-output cap plus one item is held in memory: a record that
/// cannot fit is skipped as it is read, unbuffered.</para>
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
    private byte[]? _displayPrefix;
    private RichOutputCollector? _rich;
    private long _skipRemaining;
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

    /// <summary>Takes display records of the run with this nonce out of the text into <paramref name="collector"/> (set before hand-over).</summary>
    public void ExpectDisplayRecords(string nonce, RichOutputCollector collector)
    {
        _displayPrefix = Encoding.ASCII.GetBytes($"\0CC-DISPLAY:{nonce}:");
        _rich = collector;
    }

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
        if (_displayPrefix is not null && StartsWith(_displayPrefix))
        {
            // A display record cut short by the end of the run: neither an item nor text.
            _rich!.Malformed();
            _pending.Clear();
        }
        // Whatever was held back was not a marker after all.
        Keep([.. _pending]);
        _pending.Clear();
        Finish();
    }

    private void Accept(ReadOnlySpan<byte> bytes)
    {
        if (_marker is null && _displayPrefix is null)
        {
            Keep(bytes);
            return;
        }
        if (_skipRemaining > 0)
        {
            var skipped = (int)Math.Min(_skipRemaining, bytes.Length);
            _skipRemaining -= skipped;
            bytes = bytes[skipped..];
        }
        _pending.AddRange(bytes);
        while (!_finished && _pending.Count > 0)
        {
            if (_skipRemaining > 0)
            {
                var skipped = (int)Math.Min(_skipRemaining, _pending.Count);
                _pending.RemoveRange(0, skipped);
                _skipRemaining -= skipped;
                continue;
            }
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
            var end = _marker is null ? false : MatchMarker();
            if (end == true) return;
            var display = _displayPrefix is null ? false : MatchDisplay();
            if (display == true) continue;
            if (end is null || display is null) return; // Could still become a marker or a record: wait for more bytes.
            Keep([_pending[0]]);
            _pending.RemoveAt(0);
        }
    }

    private bool StartsWith(byte[] prefix)
    {
        if (_pending.Count < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (_pending[i] != prefix[i]) return false;
        }
        return true;
    }

    private const int MaxDisplayHeader = 64;

    // _pending starts with NUL. True: a whole record was taken out of _pending (kept, refused or being
    // skipped). False: not a record. Null: too short to tell yet, or its payload is still coming.
    private bool? MatchDisplay()
    {
        var prefix = _displayPrefix!;
        var compared = Math.Min(prefix.Length, _pending.Count);
        for (var i = 0; i < compared; i++)
        {
            if (_pending[i] != prefix[i]) return false;
        }
        if (_pending.Count < prefix.Length) return null;
        var searched = Math.Min(MaxDisplayHeader, _pending.Count - prefix.Length);
        var newline = _pending.IndexOf((byte)'\n', prefix.Length, searched);
        if (newline < 0) return searched >= MaxDisplayHeader ? false : null;
        var header = Encoding.ASCII.GetString(CollectionsMarshal.AsSpan(_pending).Slice(prefix.Length, newline - prefix.Length));
        var colon = header.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(header.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return false;
        var mediaType = header[..colon];
        var rich = _rich!;
        var payloadStart = newline + 1;
        // Base64 of what may still be kept: anything longer is left out as it streams past.
        var room = (rich.RoomFor(mediaType) + 2) / 3 * 4;
        if (!RichOutputCollector.Accepts(mediaType) || rich.WouldRefuseByCount(mediaType) || length > room)
        {
            rich.SkippedUnread(mediaType);
            _pending.RemoveRange(0, payloadStart);
            _skipRemaining = (long)length + 1;
            return true;
        }
        if (_pending.Count < payloadStart + length + 1) return null;
        var payload = CollectionsMarshal.AsSpan(_pending).Slice(payloadStart, length);
        var data = new byte[length / 4 * 3 + 3];
        if (_pending[payloadStart + length] == (byte)'\n'
            && System.Buffers.Text.Base64.DecodeFromUtf8(payload, data, out _, out var written) == System.Buffers.OperationStatus.Done)
        {
            rich.Offer(mediaType, data[..written], _text.Length);
        }
        else
        {
            rich.Malformed();
        }
        _pending.RemoveRange(0, payloadStart + length + 1);
        return true;
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
