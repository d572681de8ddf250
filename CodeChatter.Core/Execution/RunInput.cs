using System.Text;
using System.Threading.Channels;

namespace CodeChatter.Core.Execution;

/// <summary>
/// What a person types while their run is in flight (interactive input). The run reads its up-front
/// stdin first, then each piece sent here, in order; <see cref="End"/> is the end of its input (Ctrl+D).
/// Everything sent is kept in <see cref="Transcript"/> so it is stored with the reply. Thread-safe.
/// </summary>
public sealed class RunInput
{
    private readonly object _gate = new();
    private readonly Channel<string> _typed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _transcript = new();
    private bool _ended;

    /// <summary>Most characters of typed input one run accepts in all.</summary>
    public int MaxTotalChars { get; init; } = 64 * 1024;

    /// <summary>Passes typed text to the run (a line is sent with its newline).</summary>
    /// <returns>False when input has ended or the total would exceed <see cref="MaxTotalChars"/>.</returns>
    public bool Send(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            if (_ended || _transcript.Length + text.Length > MaxTotalChars) return false;
            _transcript.Append(text);
            return _typed.Writer.TryWrite(text);
        }
    }

    /// <summary>Ends the run's input: its next read past what was sent sees end of file.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
            _typed.Writer.TryComplete();
        }
    }

    /// <summary>Whether input has ended (by the person or because the run ended).</summary>
    public bool HasEnded
    {
        get { lock (_gate) return _ended; }
    }

    /// <summary>Everything sent so far, in order.</summary>
    public string Transcript
    {
        get { lock (_gate) return _transcript.ToString(); }
    }

    /// <summary>The pieces sent, for the executor; completes after <see cref="End"/>.</summary>
    public ChannelReader<string> Typed => _typed.Reader;
}
