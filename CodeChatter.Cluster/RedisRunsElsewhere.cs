using System.Runtime.CompilerServices;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;

namespace CodeChatter.Cluster;

/// <summary>
/// A cluster's runs in flight as any web instance sees them: output from the run's Redis output channel, Stop and
/// typed input to its control channel, whichever web instance queued it and whichever runner has it.
/// </summary>
public sealed class RedisRunsElsewhere(RunChannels channels) : IRunsElsewhere
{
    /// <inheritdoc />
    public bool Exists => true;

    /// <inheritdoc />
    public async Task<bool> StopAsync(long executionId, CancellationToken cancellationToken = default)
    {
        await channels.SendStopAsync(executionId);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SendInputAsync(long executionId, string text, bool end, CancellationToken cancellationToken = default)
    {
        if (text.Length > 0) await channels.SendInputAsync(executionId, text);
        if (end) await channels.SendEndOfInputAsync(executionId);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Core.Execution.OutputChunk> WatchAsync(long executionId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var subscription = await channels.SubscribeOutputAsync(executionId);
        await foreach (var message in subscription.ReadAllAsync(cancellationToken))
        {
            if (message is OutputChunk chunk)
            {
                yield return new Core.Execution.OutputChunk(chunk.Stream.ToStream(), chunk.Text);
            }
        }
    }
}
