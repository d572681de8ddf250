using CodeChatter.Core.Chat.Reading;
using CodeChatter.Data.Entities;

namespace CodeChatter.Data.Reading;

/// <summary>The one mapping of a stored run to its <see cref="RunView"/>.</summary>
internal static class RunViews
{
    public static RunView From(Execution e, long conversationId, string language) => new(
        e.Id, conversationId, e.SnippetId, language, e.IsRunning ? null : e.Status, e.ExitCode, e.Signal, e.Stdout, e.Stderr,
        e.StdoutTruncated, e.StderrTruncated, e.WallTimeMs, e.CpuTimeMs, e.PeakMemoryBytes, e.SandboxLevel,
        e.StartedAt, e.FinishedAt, e.Trigger, e.Detail);
}
