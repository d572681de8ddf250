namespace CodeChatter.Cluster;

/// <summary>Numbers one run's output chunks and publishes them, then its end.</summary>
public sealed class RunOutputWriter
{
    private readonly RunChannels _channels;
    private readonly long _executionId;
    private long _sequence;

    internal RunOutputWriter(RunChannels channels, long executionId)
    {
        _channels = channels;
        _executionId = executionId;
    }

    /// <summary>Publishes <paramref name="text"/> the run wrote to <paramref name="stream"/>.</summary>
    public Task WriteAsync(OutputStreamName stream, string text) =>
        _channels.PublishOutputAsync(_executionId, new OutputChunk(Interlocked.Increment(ref _sequence), stream, text));

    /// <summary>Publishes the run's end with its <paramref name="status"/> and, when given, its whole result; nothing may follow.</summary>
    public Task EndAsync(string status, string? result = null) =>
        _channels.PublishOutputAsync(_executionId, new RunEnded(Interlocked.Increment(ref _sequence), status, result));
}
