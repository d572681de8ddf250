using System.Text;
using System.Text.Json.Serialization;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>
/// One run as people and programs see it: the chat page, the runs pages, the live stream's <c>end</c>
/// event, the JSON API and the <c>exec</c> verb all show this record, so a field means the same everywhere.
/// </summary>
/// <param name="Id">The run (execution) id; 0 for a run that was never stored (the <c>exec</c> verb).</param>
/// <param name="ConversationId">The conversation of its snippet.</param>
/// <param name="SnippetId">The snippet it ran.</param>
/// <param name="Language">The snippet's language id.</param>
/// <param name="Status">How it ended; null while it is in flight, written as <c>running</c> (see <see cref="RunningStatus"/>).</param>
/// <param name="ExitCode">The exit code, or null when it ended on a signal or never started.</param>
/// <param name="Signal">The signal that ended it, or null.</param>
/// <param name="Stdout">Standard output (so far, while in flight).</param>
/// <param name="Stderr">Standard error (so far, while in flight).</param>
/// <param name="StdoutTruncated">Whether stdout reached the cap of what is stored (the run was stopped there).</param>
/// <param name="StderrTruncated">Whether stderr reached the cap of what is stored (the run was stopped there).</param>
/// <param name="WallTimeMs">Wall-clock time of the program.</param>
/// <param name="CpuTimeMs">CPU time, where the machine can account for it.</param>
/// <param name="PeakMemoryBytes">Peak memory, where the machine can account for it.</param>
/// <param name="SandboxLevel">How it was isolated.</param>
/// <param name="StartedAt">When it began executing (UTC); while in flight, when it was asked for.</param>
/// <param name="FinishedAt">When it finished (UTC); null while in flight.</param>
/// <param name="Trigger">Why it ran.</param>
/// <param name="Detail">A short reason for rejected, internal_error and stopped runs.</param>
public sealed record RunView(
    long Id, long ConversationId, long SnippetId, string Language,
    [property: JsonConverter(typeof(RunStatusOrRunningJsonConverter))] RunStatus? Status,
    int? ExitCode, int? Signal, string Stdout, string Stderr, bool StdoutTruncated, bool StderrTruncated,
    long WallTimeMs, long? CpuTimeMs, long? PeakMemoryBytes, SandboxLevel SandboxLevel,
    DateTime StartedAt, DateTime? FinishedAt, ExecutionTrigger Trigger, string? Detail)
{
    /// <summary>Whether the run is still in flight.</summary>
    [JsonIgnore]
    public bool IsRunning => Status is null;

    /// <summary>
    /// Where it ran: <see cref="ConversationMode.Session"/> when in its conversation's session (it has a
    /// <see cref="SessionGeneration"/>), <see cref="ConversationMode.Fresh"/> in a sandbox of its own. A
    /// session conversation's snippet of a language without a session driver ran fresh.
    /// </summary>
    public ConversationMode Mode => SessionGeneration is null ? ConversationMode.Fresh : ConversationMode.Session;

    /// <summary>The session generation it ran in (1 for the conversation's first session); null when it ran fresh or is in flight.</summary>
    public int? SessionGeneration { get; init; }

    /// <summary>Its execution counter within that session, the <c>[n]</c> of the reply, from 1; null when it ran fresh.</summary>
    public int? ExecutionCounter { get; init; }

    /// <summary>What it did to its session (written by its wire name, such as <c>killed_state_lost</c>); null when it ran fresh.</summary>
    public SessionEvent? SessionEvent { get; init; }

    /// <summary>What the person typed into it while it was in flight; empty when nothing.</summary>
    public string TypedInput { get; init; } = "";

    /// <summary>The plots, tables and values it displayed, in the order shown; empty when none.</summary>
    public IReadOnlyList<OutputItemView> Outputs { get; init; } = [];

    /// <summary>What it displayed that was left out past the per-message caps, in words; null when nothing was.</summary>
    public string? OutputsOmitted { get; init; }

    /// <summary>Whether it started a new session, so the state of earlier messages was not there.</summary>
    [JsonIgnore]
    public bool StartedSession => SessionEvent == Execution.Sessions.SessionEvent.Started;

    /// <summary>Whether its session's state was lost during it (killed after an interrupt, the memory limit, or the interpreter exited).</summary>
    [JsonIgnore]
    public bool EndedSession => SessionEvent is Execution.Sessions.SessionEvent.KilledStateLost
        or Execution.Sessions.SessionEvent.EndedByMemory or Execution.Sessions.SessionEvent.EndedByExit;

    /// <summary>
    /// Whether it is a single re-run that ran in the session already live (the page says "re-ran in the live
    /// session": it saw the state later messages left, as a notebook cell run again does).
    /// </summary>
    [JsonIgnore]
    public bool ReranInLiveSession => Trigger == ExecutionTrigger.Rerun && SessionEvent == Execution.Sessions.SessionEvent.Continued;

    /// <summary>
    /// For a conversation re-run only: whether status, stdout or stderr differ from the snippet's previous
    /// run. Left out of the JSON otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Changed { get; init; }

    /// <summary>
    /// Whether more of stdout is stored than <see cref="Stdout"/> shows: pages and the API show the first
    /// <c>Execution:MaxOutputBytesPerStream</c> bytes, and the whole is a download.
    /// </summary>
    public bool StdoutMoreStored { get; init; }

    /// <summary>Whether more of stderr is stored than <see cref="Stderr"/> shows (see <see cref="StdoutMoreStored"/>).</summary>
    public bool StderrMoreStored { get; init; }

    /// <summary>
    /// This run showing at most <paramref name="maxBytes"/> UTF-8 bytes of each stream (never half a character),
    /// with <see cref="StdoutMoreStored"/> and <see cref="StderrMoreStored"/> saying where something was left out.
    /// </summary>
    public RunView ShownUpTo(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var (stdout, stdoutCut) = Prefix(Stdout, maxBytes);
        var (stderr, stderrCut) = Prefix(Stderr, maxBytes);
        if (!stdoutCut && !stderrCut) return this;
        return this with
        {
            Stdout = stdout, Stderr = stderr,
            StdoutMoreStored = StdoutMoreStored || stdoutCut, StderrMoreStored = StderrMoreStored || stderrCut,
        };
    }

    private static (string Text, bool Cut) Prefix(string text, int maxBytes)
    {
        // Every char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2): short text needs no counting.
        if (text.Length <= maxBytes / 3 || Encoding.UTF8.GetByteCount(text) <= maxBytes) return (text, false);
        var buffer = new byte[maxBytes];
        // Stops before a character that would not fit whole, a surrogate pair included.
        System.Text.Unicode.Utf8.FromUtf16(text, buffer, out var charsRead, out _, replaceInvalidSequences: true, isFinalBlock: false);
        return (text[..charsRead], true);
    }

    /// <summary>
    /// A result the way its row reads once stored: for a run the database could not take, and for the
    /// <c>exec</c> verb, which stores nothing (pass 0 for the ids).
    /// </summary>
    public static RunView FromResult(
        long id, long conversationId, long snippetId, string language, ExecutionTrigger trigger, ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RunView(
            id, conversationId, snippetId, language, result.Status, result.ExitCode, result.Signal, result.Stdout, result.Stderr,
            result.StdoutTruncated, result.StderrTruncated, result.WallTimeMs, result.CpuTimeMs, result.PeakMemoryBytes,
            result.SandboxLevel, result.StartedAt.UtcDateTime, result.FinishedAt.UtcDateTime, trigger, result.Detail)
        {
            SessionGeneration = result.Session?.Generation,
            ExecutionCounter = result.Session?.Counter,
            SessionEvent = result.Session?.Event,
            TypedInput = result.TypedInput,
            Outputs = result.Outputs.Select(OutputItemView.FromResult).ToList(),
            OutputsOmitted = result.OutputsOmitted,
        };
    }
}
