using System.Text;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Reading;

/// <summary>The one mapping of a stored run to its <see cref="RunView"/>.</summary>
internal static class RunViews
{
    /// <param name="e">The stored run.</param>
    /// <param name="conversationId">Its conversation.</param>
    /// <param name="language">Its snippet's language.</param>
    /// <param name="shownOutputBytes">How much of each stream the view shows (<c>Execution:MaxOutputBytesPerStream</c>).</param>
    /// <param name="outputs">Its displayed items, in order (from <see cref="OutputItemsAsync"/>).</param>
    public static RunView From(Execution e, long conversationId, string language, int shownOutputBytes, IReadOnlyList<OutputItemView>? outputs) => new RunView(
        e.Id, conversationId, e.SnippetId, language, e.IsRunning ? null : e.Status, e.ExitCode, e.Signal, e.Stdout, e.Stderr,
        e.StdoutTruncated, e.StderrTruncated, e.WallTimeMs, e.CpuTimeMs, e.PeakMemoryBytes, e.SandboxLevel,
        e.StartedAt, e.FinishedAt, e.Trigger, e.Detail)
    {
        SessionGeneration = e.SessionGeneration, ExecutionCounter = e.ExecutionCounter, SessionEvent = e.SessionEvent,
        TypedInput = e.TypedInput, Outputs = outputs ?? [], OutputsOmitted = e.OutputsOmitted,
    }.ShownUpTo(shownOutputBytes);

    /// <summary>
    /// The displayed items of those runs, by run id, each run's in order. Only text items' bytes are read: an
    /// image or a file (up to megabytes each) is fetched from its own address, so the view carries its size
    /// and, for a file, its name.
    /// </summary>
    public static async Task<Dictionary<long, IReadOnlyList<OutputItemView>>> OutputItemsAsync(
        IQueryable<ExecutionOutput> outputs, CancellationToken cancellationToken)
    {
        var rows = await outputs.AsNoTracking()
            .OrderBy(o => o.ExecutionId).ThenBy(o => o.Sequence)
            .Select(o => new
            {
                o.Id, o.ExecutionId, o.MediaType, o.Size, o.StdoutPosition, o.Sha256, o.FileName,
                Text = o.MediaType == RichMediaTypes.Html || o.MediaType == RichMediaTypes.PlainText ? o.Content : null,
            })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(o => o.ExecutionId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<OutputItemView>)g.Select(o => new OutputItemView(
                o.Id, o.MediaType, o.Size, o.StdoutPosition, o.Sha256, o.Text is null ? null : Encoding.UTF8.GetString(o.Text))
            {
                FileName = o.FileName,
            }).ToList());
    }
}
