using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;

namespace CodeChatter.Cluster;

/// <summary>
/// The messages arriving on one run channel, in the order they were published, until disposed
/// (which unsubscribes) or, for an output channel, until the run's end arrives.
/// </summary>
/// <typeparam name="TMessage">The kind of message the channel carries.</typeparam>
public sealed class RunChannelSubscription<TMessage> : IAsyncDisposable where TMessage : class
{
    private readonly ChannelMessageQueue _queue;
    private readonly Func<TMessage, bool> _isLast;
    private int _disposed;

    internal RunChannelSubscription(ChannelMessageQueue queue, Func<TMessage, bool> isLast)
    {
        _queue = queue;
        _isLast = isLast;
    }

    /// <summary>
    /// The messages as they arrive. Ends after the last message (an output channel's end), when the
    /// subscription is disposed, or throws when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<TMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ChannelMessage received;
            try
            {
                received = await _queue.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException)
            {
                yield break;
            }
            var message = Decode(received.Message);
            if (message is null) continue;
            yield return message;
            if (_isLast(message)) yield break;
        }
    }

    /// <summary>Unsubscribes from the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _queue.UnsubscribeAsync();
    }

    private static TMessage? Decode(RedisValue payload)
    {
        try
        {
            return JsonSerializer.Deserialize<TMessage>(payload.ToString(), RunChannels.Json);
        }
        catch (JsonException)
        {
            // Only our own code publishes here; a message it cannot read (from a newer or older
            // instance during an upgrade) is skipped rather than ending the relay.
            return null;
        }
    }
}
