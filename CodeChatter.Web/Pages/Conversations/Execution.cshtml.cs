using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Web.Pages.Conversations;

/// <summary>
/// One run's live output as server-sent events (<c>GET .../Events</c>) and its Stop button
/// (<c>POST .../Stop</c>). Both find the run through <see cref="OwnershipQueries"/>: someone else's is a 404.
/// </summary>
/// <remarks>
/// The stream: <c>chunk</c> events (<c>{"stream":"stdout"|"stderr","text":...}</c>, with the chunk's sequence
/// number as the event id), then one <c>end</c> event with the stored result, after which the server closes
/// the stream and the page closes its EventSource. A reconnect sends Last-Event-ID and gets the chunks after
/// it; when that number cannot be honoured (the run ended a while ago and only its stored row is left) a
/// <c>reset</c> event comes first and the whole output follows.
/// </remarks>
public class ExecutionModel(ChatDbContext db, LiveRuns liveRuns, IHostApplicationLifetime lifetime) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A row stored a moment before its run is registered here; wait that long before giving up.
    private static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(2);

    public async Task<IActionResult> OnGetEventsAsync(long id, long executionId)
    {
        var userId = User.UserId();
        if (!await OwnsAsync(userId, id, executionId)) return NotFound();

        Response.Headers.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers["X-Accel-Buffering"] = "no";
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = gone.Token;
        long.TryParse(Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastSeen);

        try
        {
            await WriteAsync("retry: 1000\n\n", cancellationToken);
            var deadline = DateTime.UtcNow + RegistrationWait;
            while (true)
            {
                if (liveRuns.Find(executionId, userId) is { } live)
                {
                    await StreamLiveAsync(live, lastSeen, cancellationToken);
                    break;
                }
                var stored = await db.Executions.AsNoTracking().SingleAsync(e => e.Id == executionId, cancellationToken);
                if (stored.FinishedAt is not null)
                {
                    if (lastSeen > 0) await WriteAsync("event: reset\ndata: {}\n\n", cancellationToken);
                    var sequence = 0;
                    if (stored.Stdout.Length > 0) await WriteChunkAsync(++sequence, OutputStream.Stdout, stored.Stdout, cancellationToken);
                    if (stored.Stderr.Length > 0) await WriteChunkAsync(++sequence, OutputStream.Stderr, stored.Stderr, cancellationToken);
                    await WriteEndAsync(RunEnd.From(stored), cancellationToken);
                    break;
                }
                // In flight but not registered: about to be, or run by a server process that is gone. The
                // browser reconnects after the retry delay.
                if (DateTime.UtcNow > deadline) break;
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser went away or the server is stopping; the browser reconnects if it is still there.
        }
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostStopAsync(long id, long executionId)
    {
        var userId = User.UserId();
        if (!await OwnsAsync(userId, id, executionId)) return NotFound();
        var stopped = liveRuns.Find(executionId, userId)?.Stop() ?? false;
        if (Request.Headers.Accept.Any(accept => accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return new JsonResult(new { stopped });
        }
        TempData["StatusMessage"] = stopped ? "Stopping the run." : "The run had already ended.";
        return RedirectToPage("/Conversations/Chat", null, new { id }, $"execution-{executionId}");
    }

    private Task<bool> OwnsAsync(string userId, long conversationId, long executionId) =>
        db.Executions.OwnedBy(userId).AnyAsync(e => e.Id == executionId && e.Snippet!.ConversationId == conversationId);

    private async Task StreamLiveAsync(LiveRun live, long lastSeen, CancellationToken cancellationToken)
    {
        using var watch = live.Watch(lastSeen);
        if (lastSeen > 0 && !watch.Resumed) await WriteAsync("event: reset\ndata: {}\n\n", cancellationToken);
        var reader = watch.Events;
        var batch = new StringBuilder();
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            // Everything already waiting goes out in one write and one flush: a snippet printing in a tight
            // loop would otherwise cost a flush per line.
            while (reader.TryRead(out var item))
            {
                switch (item)
                {
                    case LiveChunk chunk:
                        AppendChunk(batch, chunk.Sequence, chunk.Stream, chunk.Text);
                        break;
                    case LiveEnd end:
                        AppendEnd(batch, RunEnd.From(end.Result));
                        break;
                }
            }
            await WriteAsync(batch.ToString(), cancellationToken);
            batch.Clear();
        }
    }

    private Task WriteChunkAsync(long sequence, OutputStream stream, string text, CancellationToken cancellationToken)
    {
        var batch = new StringBuilder();
        AppendChunk(batch, sequence, stream, text);
        return WriteAsync(batch.ToString(), cancellationToken);
    }

    private Task WriteEndAsync(RunEnd end, CancellationToken cancellationToken)
    {
        var batch = new StringBuilder();
        AppendEnd(batch, end);
        return WriteAsync(batch.ToString(), cancellationToken);
    }

    // JSON never holds a raw line break, so each event's data is one "data:" line.
    private static void AppendChunk(StringBuilder batch, long sequence, OutputStream stream, string text) =>
        batch.Append("id: ").Append(sequence.ToString(CultureInfo.InvariantCulture))
            .Append("\nevent: chunk\ndata: ")
            .Append(JsonSerializer.Serialize(new { stream = stream == OutputStream.Stdout ? "stdout" : "stderr", text }, Json))
            .Append("\n\n");

    private static void AppendEnd(StringBuilder batch, RunEnd end) =>
        batch.Append("event: end\ndata: ").Append(JsonSerializer.Serialize(end, Json)).Append("\n\n");

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await Response.WriteAsync(text, cancellationToken);
        await Response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The data of the <c>end</c> event: the stored result, without the output already streamed.</summary>
    public sealed record RunEnd(
        string Status, int? ExitCode, int? Signal, long WallTimeMs, long? CpuTimeMs, long? PeakMemoryBytes,
        string SandboxLevel, string? Detail, bool StdoutTruncated, bool StderrTruncated)
    {
        public static RunEnd From(ExecutionResult result) => new(
            result.Status.ToWireName(), result.ExitCode, result.Signal, result.WallTimeMs, result.CpuTimeMs, result.PeakMemoryBytes,
            result.SandboxLevel.ToWireName(), result.Detail, result.StdoutTruncated, result.StderrTruncated);

        public static RunEnd From(Data.Entities.Execution row) => new(
            row.Status.ToWireName(), row.ExitCode, row.Signal, row.WallTimeMs, row.CpuTimeMs, row.PeakMemoryBytes,
            row.SandboxLevel.ToWireName(), row.Detail, row.StdoutTruncated, row.StderrTruncated);
    }
}
