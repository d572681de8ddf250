using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data.Entities;
using System.Text.Json.Serialization;

namespace CodeChatter.Web.Api;

/// <summary>The body of <c>POST /api/runs</c>.</summary>
/// <param name="Language">A language id from <c>GET /api/languages</c>, such as <c>python</c>.</param>
/// <param name="Code">The snippet.</param>
/// <param name="Stdin">Standard input; empty when left out.</param>
/// <param name="ConversationId">A conversation of yours to append to; a new one is made when left out.</param>
public sealed record RunRequest(string? Language, string? Code, string? Stdin, long? ConversationId);

/// <summary>One run of a snippet, as the API shows it.</summary>
public sealed record RunResponse(
    long Id, long ConversationId, long SnippetId, string Language, string Status, int? ExitCode, int? Signal,
    string Stdout, string Stderr, bool StdoutTruncated, bool StderrTruncated, long WallTimeMs, long? CpuTimeMs,
    long? PeakMemoryBytes, DateTime StartedAt, DateTime? FinishedAt, string Trigger, string? Detail)
{
    /// <summary>For a conversation re-run only: whether status, stdout or stderr differ from the snippet's previous run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Changed { get; init; }

    /// <summary>The wire status of a stored run; <c>running</c> while it is in flight.</summary>
    public static string StatusOf(Execution execution) => execution.FinishedAt is null ? "running" : execution.Status.ToWireName();

    public static RunResponse From(Execution e, long conversationId, string language) => new(
        e.Id, conversationId, e.SnippetId, language, StatusOf(e), e.ExitCode, e.Signal, e.Stdout, e.Stderr,
        e.StdoutTruncated, e.StderrTruncated, e.WallTimeMs, e.CpuTimeMs, e.PeakMemoryBytes, e.StartedAt, e.FinishedAt,
        TriggerName(e.Trigger), e.Detail);

    public static RunResponse From(long executionId, long conversationId, long snippetId, string language, ExecutionTrigger trigger, ExecutionResult r) => new(
        executionId, conversationId, snippetId, language, r.Status.ToWireName(), r.ExitCode, r.Signal, r.Stdout, r.Stderr,
        r.StdoutTruncated, r.StderrTruncated, r.WallTimeMs, r.CpuTimeMs, r.PeakMemoryBytes, r.StartedAt.UtcDateTime,
        r.FinishedAt.UtcDateTime, TriggerName(trigger), r.Detail);

    public static string TriggerName(ExecutionTrigger trigger) => trigger switch
    {
        ExecutionTrigger.Submit => "submit",
        ExecutionTrigger.Rerun => "rerun",
        ExecutionTrigger.ConversationRerun => "conversation_rerun",
        _ => "api",
    };
}

/// <summary>A conversation in the list.</summary>
public sealed record ConversationSummary(long Id, string Title, string DefaultLanguage, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A conversation with every message and every run of each.</summary>
public sealed record ConversationResponse(
    long Id, string Title, string DefaultLanguage, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<SnippetResponse> Snippets);

/// <summary>A message: code (with its runs, oldest first) or a Markdown note.</summary>
public sealed record SnippetResponse(
    long Id, int Sequence, string Kind, string Language, string Code, string Stdin, DateTime CreatedAt, IReadOnlyList<RunResponse> Executions);

/// <summary>A language this instance can run.</summary>
public sealed record LanguageResponse(string Id, string DisplayName, string EditorMode);
