using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One run's live output as server-sent events (<c>GET .../Events</c>), its reply as the server draws it
/// (<c>GET .../Reply</c>), its whole output as a download (<c>GET .../Output?stream=stdout</c>) and its Stop
/// button (<c>POST .../Stop</c>). All find the run through
/// <see cref="IRunQueries"/>, which only finds a person's own: someone else's is a 404.
/// </summary>
/// <remarks>
/// The stream: <c>chunk</c> events (<c>{"stream":"stdout"|"stderr","text":...}</c>, with the chunk's sequence
/// number as the event id), then one <c>end</c> event with the stored run (<see cref="RunView"/>), after which
/// the server closes the stream and the page closes its EventSource. A reconnect sends Last-Event-ID and gets
/// the chunks after it; when that number cannot be honoured (the run ended a while ago and only its stored row
/// is left) a <c>reset</c> event comes first and the whole output follows. ASP.NET Core's own server-sent
/// events result writes it: it writes each item's id, and Last-Event-ID is read here.
/// </remarks>
public class ExecutionModel(
    IRunQueries runs, IConversationQueries conversations, LiveRuns liveRuns, IRunsElsewhere elsewhere,
    IHostApplicationLifetime lifetime, TimeProvider clock)
    : PageModel
{
    private static readonly JsonSerializerOptions Json = WireJson.CreateOptions();

    // A row stored a moment before its run is registered here; wait that long before giving up.
    private static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    private static readonly SseItem<string> Reset = new("{}", "reset");

    public async Task<IActionResult> OnGetEventsAsync(long id, long executionId)
    {
        var userId = User.UserId();
        if (!await runs.IsOwnedAsync(userId, id, executionId, HttpContext.RequestAborted)) return NotFound();
        long.TryParse(Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastSeen);

        // Proxies such as nginx would otherwise hold the events back.
        Response.Headers["X-Accel-Buffering"] = "no";
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await TypedResults.ServerSentEvents(UntilGone(EventsAsync(userId, executionId, lastSeen, gone.Token), gone.Token))
                .ExecuteAsync(HttpContext);
        }
        catch (OperationCanceledException) when (HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The browser went away; it reconnects if it is still there.
        }
        return new EmptyResult();
    }

    /// <summary>One reply as <c>_Messages</c> draws it: what the page's script swaps in when the run ends.</summary>
    public async Task<IActionResult> OnGetReplyAsync(long id, long executionId)
    {
        var userId = User.UserId();
        var run = await runs.FindAsync(userId, executionId, HttpContext.RequestAborted);
        if (run is null || run.ConversationId != id) return NotFound();
        var message = await conversations.FindMessageAsync(userId, run.SnippetId, HttpContext.RequestAborted);
        var reply = message?.Replies.FirstOrDefault(r => r.Run.Id == executionId);
        return reply is null ? NotFound() : Partial("_Messages", MessageList.Reply(reply));
    }

    /// <summary>
    /// Everything stored of one stream (the page shows only its start) as a text file; someone else's run is a 404.
    /// The bytes are the stored UTF-8 text, served as an attachment so a browser never renders it.
    /// </summary>
    public async Task<IActionResult> OnGetOutputAsync(long id, long executionId, string? stream)
    {
        OutputStream? which = stream switch { "stdout" => OutputStream.Stdout, "stderr" => OutputStream.Stderr, _ => null };
        if (which is null) return NotFound();
        var text = await runs.FindWholeOutputAsync(User.UserId(), id, executionId, which.Value, HttpContext.RequestAborted);
        if (text is null) return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"run-{executionId}-{stream}.txt");
    }

    public async Task<IActionResult> OnPostStopAsync(long id, long executionId)
    {
        var userId = User.UserId();
        if (!await runs.IsOwnedAsync(userId, id, executionId)) return NotFound();
        var stopped = liveRuns.Find(executionId, userId) is { } live
            ? live.Stop()
            // Queued by another web instance of a cluster: its runner hears the Stop wherever it is.
            : elsewhere.Exists && (await runs.FindAsync(userId, executionId))?.IsRunning == true && await elsewhere.StopAsync(executionId);
        if (Request.Headers.Accept.Any(accept => accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return new JsonResult(new { stopped });
        }
        TempData["StatusMessage"] = stopped ? "Stopping the run." : "The run had already ended.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{executionId}");
    }

    // How often a watcher of a run relayed elsewhere looks at its row for the end, while no output comes.
    private static readonly TimeSpan ElsewhereCheck = TimeSpan.FromSeconds(1);

    private async IAsyncEnumerable<(OutputChunk? Chunk, RunView? End)> ElsewhereAsync(
        string userId, long executionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = System.Threading.Channels.Channel.CreateUnbounded<OutputChunk>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in elsewhere.WatchAsync(executionId, stop.Token)) await chunks.Writer.WriteAsync(chunk, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                chunks.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            while (true)
            {
                var (batch, quiet) = await NextChunksAsync(chunks.Reader, cancellationToken);
                foreach (var chunk in batch) yield return (chunk, null);
                if (!quiet) continue;
                // The end message may have come and gone before this watcher subscribed: the row is the record.
                var row = await runs.FindAsync(userId, executionId, cancellationToken);
                if (row is null) yield break;
                if (!row.IsRunning)
                {
                    yield return (null, row);
                    yield break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    // What has come (true when nothing came for a while, or the relay ended: time to look at the row).
    private static async Task<(List<OutputChunk> Chunks, bool Quiet)> NextChunksAsync(
        System.Threading.Channels.ChannelReader<OutputChunk> reader, CancellationToken cancellationToken)
    {
        var batch = new List<OutputChunk>();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(ElsewhereCheck);
        try
        {
            if (!await reader.WaitToReadAsync(wait.Token))
            {
                await Task.Delay(ElsewhereCheck / 4, cancellationToken);
                return (batch, true);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (batch, true);
        }
        while (reader.TryRead(out var chunk)) batch.Add(chunk);
        return (batch, false);
    }

    private async IAsyncEnumerable<SseItem<string>> EventsAsync(
        string userId, long executionId, long lastSeen, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // No data, so browsers dispatch nothing; it only sets how soon they reconnect.
        yield return new SseItem<string>("") { ReconnectionInterval = ReconnectAfter };
        var deadline = clock.GetUtcNow() + RegistrationWait;
        while (true)
        {
            if (liveRuns.Find(executionId, userId) is { } live)
            {
                using var watch = live.Watch(lastSeen);
                if (lastSeen > 0 && !watch.Resumed) yield return Reset;
                await foreach (var item in watch.Events.ReadAllAsync(cancellationToken))
                {
                    switch (item)
                    {
                        case LiveChunk chunk:
                            yield return Chunk(chunk.Sequence, chunk.Stream, chunk.Text);
                            break;
                        case LiveEnd end:
                            yield return End(await runs.StoredOrAnsweredAsync(userId, executionId, end.Result, cancellationToken));
                            break;
                    }
                }
                yield break;
            }
            var stored = await runs.FindAsync(userId, executionId, cancellationToken);
            if (stored is null) yield break;
            if (!stored.IsRunning)
            {
                if (lastSeen > 0) yield return Reset;
                var sequence = 0;
                if (stored.Stdout.Length > 0) yield return Chunk(++sequence, OutputStream.Stdout, stored.Stdout);
                if (stored.Stderr.Length > 0) yield return Chunk(++sequence, OutputStream.Stderr, stored.Stderr);
                yield return End(stored);
                yield break;
            }
            if (elsewhere.Exists && clock.GetUtcNow() > deadline)
            {
                // Relayed by another web instance of a cluster: what it printed so far is in the row, what comes
                // next comes through the cluster, and the end is the stored run (which the page then draws whole).
                if (lastSeen > 0) yield return Reset;
                var sequence = 0L;
                if (stored.Stdout.Length > 0) yield return Chunk(++sequence, OutputStream.Stdout, stored.Stdout);
                if (stored.Stderr.Length > 0) yield return Chunk(++sequence, OutputStream.Stderr, stored.Stderr);
                await foreach (var (chunk, end) in ElsewhereAsync(userId, executionId, cancellationToken))
                {
                    yield return chunk is not null ? Chunk(++sequence, chunk.Stream, chunk.Text) : End(end!);
                }
                yield break;
            }
            // In flight but not registered: about to be, or run by a server process that is gone. The
            // browser reconnects after the retry delay.
            if (clock.GetUtcNow() > deadline) yield break;
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
        }
    }

    // JSON never holds a raw line break, so each event's data is one "data:" line.
    private static SseItem<string> Chunk(long sequence, OutputStream stream, string text) =>
        new(JsonSerializer.Serialize(new { stream = stream == OutputStream.Stdout ? "stdout" : "stderr", text }, Json), "chunk")
        {
            EventId = sequence.ToString(CultureInfo.InvariantCulture),
        };

    private static SseItem<string> End(RunView run) => new(JsonSerializer.Serialize(run, Json), "end");

    /// <summary>Ends the stream quietly when the browser goes away or the server stops.</summary>
    private static async IAsyncEnumerable<T> UntilGone<T>(IAsyncEnumerable<T> events, [EnumeratorCancellation] CancellationToken gone)
    {
        await using var each = events.GetAsyncEnumerator(gone);
        while (true)
        {
            bool more;
            try
            {
                more = await each.MoveNextAsync();
            }
            catch (OperationCanceledException) when (gone.IsCancellationRequested)
            {
                more = false;
            }
            if (!more) yield break;
            yield return each.Current;
        }
    }
}
