using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// Reads one of a session box's output pipes for the box's whole life and hands what it reads to the
/// capture of the message running now. Output printed while no message runs (a background thread,
/// a timer that fires late) has no reply to belong to and is dropped.
/// </summary>
internal sealed class SessionOutputRouter
{
    private readonly object _gate = new();
    private BoundedOutputCapture? _current;

    /// <summary>Routes what is read from now on to <paramref name="capture"/>.</summary>
    public void Attach(BoundedOutputCapture capture)
    {
        lock (_gate) _current = capture;
    }

    /// <summary>
    /// Stops routing (the message is over): the capture keeps what it held back, and what is read
    /// afterwards is dropped.
    /// </summary>
    public void Detach()
    {
        lock (_gate)
        {
            _current?.Close();
            _current = null;
        }
    }

    /// <summary>The pipe reader, for CliWrap.</summary>
    public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            lock (_gate) _current?.Write(buffer.AsSpan(0, read));
        }
        lock (_gate) _current?.Close();
    }
}
