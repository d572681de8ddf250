using System.Text;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Chat;

/// <summary>
/// Sends messages to the robot and re-runs them: store the snippet with its in-flight run, ask for
/// admission, execute, store the result. Pages and the JSON API both go through here.
/// </summary>
/// <remarks>
/// A run that has started is not tied to the request that asked for it: a browser that goes away does
/// not stop it, and its result is stored. Only the host stopping stops it; it is then stored as
/// <c>internal_error</c>/"interrupted" with the output it had printed, the same words a run cut off by a
/// crash gets at the next start.
/// </remarks>
public sealed class RunService(
    IRunStore store, ICodeExecutor executor, IRunAdmission admission, LanguageCatalog languages,
    IOptions<ExecutionOptions> options, IHostApplicationLifetime lifetime, ILogger<RunService> logger)
{
    /// <summary>The detail of a run stopped by the server shutting down.</summary>
    public const string InterruptedDetail = "interrupted";

    /// <summary>Language id stored on notes.</summary>
    public const string NoteLanguage = "markdown";

    /// <summary>
    /// Checks a message before anything is stored: a known language, non-blank text, sizes within limits.
    /// </summary>
    /// <returns>Problems by field name (<c>Language</c>, <c>Text</c>, <c>Stdin</c>); empty when valid.</returns>
    public IReadOnlyDictionary<string, string> Validate(SnippetKind kind, string? language, string? text, string? stdin)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var what = kind == SnippetKind.Note ? "note" : "code";
        if (kind == SnippetKind.Code && !languages.TryGetAvailable(language, out _))
        {
            problems["Language"] = $"Unknown language '{language}'. Choose one of: {string.Join(", ", languages.Available.Select(l => l.Id))}.";
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            problems["Text"] = $"Write some {what} first.";
        }
        else if (Encoding.UTF8.GetByteCount(text) is var size && size > options.Value.MaxCodeBytes)
        {
            problems["Text"] = $"The {what} is {size:N0} bytes; the limit is {options.Value.MaxCodeBytes:N0}.";
        }
        if (kind == SnippetKind.Code && stdin is not null && Encoding.UTF8.GetByteCount(stdin) is var stdinSize && stdinSize > options.Value.MaxStdinBytes)
        {
            problems["Stdin"] = $"The input is {stdinSize:N0} bytes; the limit is {options.Value.MaxStdinBytes:N0}.";
        }
        return problems;
    }

    /// <summary>
    /// Stores a message and, for code, runs it to its end. <paramref name="cancellationToken"/> only
    /// cancels storing: once the run has started it completes whatever happens to the caller.
    /// </summary>
    /// <returns>What happened, or null when the conversation is not that person's.</returns>
    /// <exception cref="ArgumentException">The message does not pass <see cref="Validate"/>.</exception>
    public async Task<SubmitOutcome?> SubmitAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var problems = Validate(message.Kind, message.Language, message.Text, message.Stdin);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems.Values), nameof(message));
        if (message.Kind == SnippetKind.Code && languages.TryGetAvailable(message.Language, out var language))
        {
            message = message with { Language = language.Id };
        }
        else if (message.Kind == SnippetKind.Note)
        {
            message = message with { Language = NoteLanguage, Stdin = "" };
        }

        var stored = await store.AddMessageAsync(message, cancellationToken);
        if (stored is null) return null;
        if (stored.ExecutionId is not { } executionId) return new SubmitOutcome(stored, null);

        var request = new ExecutionRequest(message.Language, message.Text) { Stdin = message.Stdin };
        var result = await RunAndStoreAsync(message.UserId, executionId, request);
        return new SubmitOutcome(stored, result);
    }

    /// <summary>Runs one snippet of that person's again, adding a run.</summary>
    /// <returns>The new run, or null when the snippet is not theirs or is a note.</returns>
    public async Task<RerunOutcome?> RerunSnippetAsync(string userId, long snippetId, CancellationToken cancellationToken = default)
    {
        var started = await store.StartRerunAsync(userId, snippetId, ExecutionTrigger.Rerun, cancellationToken);
        if (started is null) return null;
        var result = await RunAndStoreAsync(userId, started.ExecutionId, started.Request);
        return Outcome(started, result);
    }

    /// <summary>
    /// Runs every code snippet of that person's conversation again, in order, one after the other, and
    /// says for each whether its output changed since its previous run.
    /// </summary>
    /// <returns>One outcome per code snippet, or null when the conversation is not theirs.</returns>
    public async Task<IReadOnlyList<RerunOutcome>?> RerunConversationAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        var snippetIds = await store.GetCodeSnippetIdsAsync(userId, conversationId, cancellationToken);
        if (snippetIds is null) return null;
        var outcomes = new List<RerunOutcome>(snippetIds.Count);
        foreach (var snippetId in snippetIds)
        {
            // Stop starting new runs when the host stops; runs already stored stay stored.
            if (lifetime.ApplicationStopping.IsCancellationRequested) break;
            var started = await store.StartRerunAsync(userId, snippetId, ExecutionTrigger.ConversationRerun, CancellationToken.None);
            if (started is null) continue;
            var result = await RunAndStoreAsync(userId, started.ExecutionId, started.Request);
            outcomes.Add(Outcome(started, result));
        }
        return outcomes;
    }

    private static RerunOutcome Outcome(StartedRun started, ExecutionResult result) => new(
        started.ConversationId, started.SnippetId, started.ExecutionId, result,
        RunOutput.From(result).HasChangedSince(started.Previous));

    private async Task<ExecutionResult> RunAndStoreAsync(string userId, long executionId, ExecutionRequest request)
    {
        var stopping = lifetime.ApplicationStopping;
        ExecutionResult result;
        try
        {
            using var admitted = await admission.AdmitAsync(userId, stopping);
            result = admitted.IsAdmitted
                ? await executor.ExecuteAsync(request, output: null, stopping)
                : ExecutionResult.Rejected(admitted.Refusal!, executor.Level) with { RetryAfter = admitted.RetryAfter };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Nothing ran; the in-flight row already says interrupted.
            logger.LogInformation("Run {ExecutionId} was not started: the server is stopping", executionId);
            throw;
        }
        if (stopping.IsCancellationRequested && result.Status == RunStatus.Killed)
        {
            result = result with { Status = RunStatus.InternalError, Detail = InterruptedDetail };
        }
        // The result is stored even if the caller has gone: CancellationToken.None on purpose.
        await store.CompleteAsync(executionId, result, CancellationToken.None);
        return result;
    }
}

/// <summary>A stored message and, for code, how its run ended.</summary>
/// <param name="Stored">The ids of what was stored.</param>
/// <param name="Result">The run's result; null for a note.</param>
public sealed record SubmitOutcome(StoredMessage Stored, ExecutionResult? Result);

/// <summary>A new run of an existing snippet.</summary>
/// <param name="ConversationId">The snippet's conversation.</param>
/// <param name="SnippetId">The snippet.</param>
/// <param name="ExecutionId">The new run.</param>
/// <param name="Result">How it ended.</param>
/// <param name="Changed">Whether status, stdout or stderr differ from the snippet's previous run.</param>
public sealed record RerunOutcome(long ConversationId, long SnippetId, long ExecutionId, ExecutionResult Result, bool Changed);
