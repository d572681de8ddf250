using System.Text;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Reads one output pipe, keeps at most <c>cap</c> bytes, forwards decoded text live, and reports
/// the moment the cap is reached so the run can be stopped. Reading goes on (and is discarded) after
/// the cap so a writer never blocks on a full pipe while it is being killed.
/// </summary>
internal sealed class BoundedOutputCapture(OutputStream stream, Func<int> cap, Action onCapReached)
{
    private readonly MemoryStream _kept = new();
    // A stateful decoder so a multi-byte character split across reads is not mangled; the live
    // chunks therefore add up to exactly the stored text.
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _text = new();

    /// <summary>Receives live output; set at hand-over, before the program can print anything.</summary>
    public Action<OutputChunk>? Listener { get; set; }

    public bool Truncated { get; private set; }

    public string Text => _text.ToString();

    public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (Truncated) continue;
            var room = cap() - (int)_kept.Length;
            var keep = Math.Min(room, read);
            if (keep > 0)
            {
                _kept.Write(buffer, 0, keep);
                Publish(buffer.AsSpan(0, keep), flush: false);
            }
            if (read > room)
            {
                Truncated = true;
                Publish([], flush: true);
                onCapReached();
            }
        }
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
