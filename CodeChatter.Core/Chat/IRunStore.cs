using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Where snippets and their runs are kept. A run is written twice: once when it starts (an in-flight row
/// that already reads <c>internal_error</c>/"interrupted", so a stop never loses it) and once when it ends.
/// Every method takes the person's id and finds nothing in someone else's conversations.
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Stores a new message, in a new conversation when <see cref="NewMessage.ConversationId"/> is null or
    /// at the end of that person's conversation, together with the in-flight run of a code snippet, in one
    /// transaction.
    /// </summary>
    /// <returns>The new ids, or null when the conversation is not that person's.</returns>
    Task<StoredMessage?> AddMessageAsync(NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>Starts another run of a code snippet that person owns.</summary>
    /// <returns>The in-flight run with what to execute, or null when the snippet is not theirs (or is a note).</returns>
    Task<StartedRun?> StartRerunAsync(string userId, long snippetId, ExecutionTrigger trigger, CancellationToken cancellationToken = default);

    /// <summary>The ids of the code snippets of that person's conversation, in order; null when it is not theirs.</summary>
    Task<IReadOnlyList<long>?> GetCodeSnippetIdsAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes what a run in flight has printed so far into its in-flight row, so a crash that cuts the run
    /// off keeps it. A run already completed is left as it is.
    /// </summary>
    Task SaveOutputSoFarAsync(long executionId, string stdout, string stderr, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds one to that conversation's session generation and returns the new value, atomically: the
    /// number of a session that is starting (1 for its first).
    /// </summary>
    Task<int> NextSessionGenerationAsync(long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Records how a run ended, with where it ran in its session and what was typed into it.</summary>
    Task CompleteAsync(long executionId, ExecutionResult result, CancellationToken cancellationToken = default);
}

/// <summary>A message to store.</summary>
/// <param name="UserId">Who sent it.</param>
/// <param name="ConversationId">The conversation to append to; null to start a new one.</param>
/// <param name="Kind">Code or a note.</param>
/// <param name="Language">The language id of code; ignored for a note.</param>
/// <param name="Text">The code or the Markdown text.</param>
/// <param name="Stdin">Standard input for code.</param>
/// <param name="Trigger">Why it runs (a form or the API).</param>
public sealed record NewMessage(
    string UserId, long? ConversationId, SnippetKind Kind, string Language, string Text, string Stdin, ExecutionTrigger Trigger)
{
    /// <summary>Title of a new conversation; made from the text when blank.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// How a new conversation runs its snippets; null for <see cref="ConversationModes.Default"/>. Ignored
    /// when appending to an existing conversation, which keeps its own.
    /// </summary>
    public ConversationMode? Mode { get; init; }

    /// <summary>
    /// Whether the person can type into the run while it is in flight (the chat page's live flow): the run
    /// then gets a <see cref="RunInput"/>, reached through its <see cref="LiveRun"/>.
    /// </summary>
    public bool Interactive { get; init; }
}

/// <summary>Ids of a stored message.</summary>
/// <param name="ConversationId">Its conversation (new or existing).</param>
/// <param name="SnippetId">The message.</param>
/// <param name="ExecutionId">Its in-flight run; null for a note.</param>
public sealed record StoredMessage(long ConversationId, long SnippetId, long? ExecutionId)
{
    /// <summary>How its conversation runs snippets.</summary>
    public ConversationMode Mode { get; init; } = ConversationMode.Fresh;
}

/// <summary>An in-flight run and what it runs.</summary>
/// <param name="ConversationId">The conversation of the snippet.</param>
/// <param name="SnippetId">The snippet.</param>
/// <param name="ExecutionId">The in-flight run.</param>
/// <param name="Request">The snippet as the executor takes it.</param>
/// <param name="Previous">What the snippet's latest finished run produced; null when none finished.</param>
public sealed record StartedRun(long ConversationId, long SnippetId, long ExecutionId, ExecutionRequest Request, RunOutput? Previous)
{
    /// <summary>How the snippet's conversation runs snippets.</summary>
    public ConversationMode Mode { get; init; } = ConversationMode.Fresh;
}
