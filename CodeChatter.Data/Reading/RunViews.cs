using CodeChatter.Core.Chat.Reading;
using CodeChatter.Data.Entities;

namespace CodeChatter.Data.Reading;

/// <summary>The one mapping of a stored run to its <see cref="RunView"/>.</summary>
internal static class RunViews
{
    /// <param name="e">The stored run.</param>
    /// <param name="conversationId">Its conversation.</param>
    /// <param name="language">Its snippet's language.</param>
    /// <param name="shownOutputBytes">How much of each stream the view shows (<c>Execution:MaxOutputBytesPerStream</c>).</param>
    public static RunView From(Execution e, long conversationId, string language, int shownOutputBytes) => new RunView(
        e.Id, conversationId, e.SnippetId, language, e.IsRunning ? null : e.Status, e.ExitCode, e.Signal, e.Stdout, e.Stderr,
        e.StdoutTruncated, e.StderrTruncated, e.WallTimeMs, e.CpuTimeMs, e.PeakMemoryBytes, e.SandboxLevel,
        e.StartedAt, e.FinishedAt, e.Trigger, e.Detail)
    {
        SessionGeneration = e.SessionGeneration, ExecutionCounter = e.ExecutionCounter, SessionEvent = e.SessionEvent,
        TypedInput = e.TypedInput,
    }.ShownUpTo(shownOutputBytes);
}
