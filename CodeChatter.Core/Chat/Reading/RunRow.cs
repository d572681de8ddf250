using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>A run as the runs pages list it: the run, its snippet's start and where it belongs.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="ConversationTitle">The conversation's title.</param>
/// <param name="Sequence">The snippet's position in the conversation.</param>
/// <param name="OwnerId">Whose run it is.</param>
/// <param name="OwnerEmail">The owner's e-mail address (their id when they have none).</param>
/// <param name="Language">The snippet's language.</param>
/// <param name="CodeExcerpt">The first 200 characters of the snippet.</param>
/// <param name="Status">How it ended; null while it is in flight.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="WallTimeMs">Wall-clock time.</param>
/// <param name="CpuTimeMs">CPU time, where known.</param>
/// <param name="Detail">A short reason for rejected, internal_error and stopped runs.</param>
public sealed record RunRow(
    long ExecutionId, long ConversationId, string ConversationTitle, int Sequence, string OwnerId, string OwnerEmail,
    string Language, string CodeExcerpt, RunStatus? Status, DateTime StartedAt, long WallTimeMs, long? CpuTimeMs, string? Detail)
{
    /// <summary>Whether the run is still in flight.</summary>
    public bool IsRunning => Status is null;

    /// <summary>How many plots, tables and values it displayed (shown on its conversation's page).</summary>
    public int DisplayedItems { get; init; }

    /// <summary>How many files it gave back (listed under its reply).</summary>
    public int Files { get; init; }
}

/// <summary>
/// What the runs pages filter on. Null or blank fields keep everything.
/// </summary>
/// <param name="Status">A wire status, or <c>running</c> (<see cref="RunningStatus.WireName"/>) for runs in flight.</param>
/// <param name="Language">A language id.</param>
/// <param name="From">First UTC day of the run's start, inclusive.</param>
/// <param name="To">Last UTC day of the run's start, inclusive.</param>
/// <param name="CodeContains">Text the snippet contains.</param>
/// <param name="OwnerEmailContains">Part of the owner's e-mail address (admin only).</param>
public sealed record RunFilter(
    string? Status = null, string? Language = null, DateOnly? From = null, DateOnly? To = null,
    string? CodeContains = null, string? OwnerEmailContains = null);

/// <summary>A page of runs and the languages the filter offers.</summary>
/// <param name="Runs">The page.</param>
/// <param name="Languages">Languages of the runs that can be listed, in order.</param>
public sealed record RunList(PagedList<RunRow> Runs, IReadOnlyList<string> Languages);
