using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using System.Diagnostics;
using CodeChatter.Core.Observability;
using Microsoft.Extensions.DependencyInjection;
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
/// crash gets at the next start. A person can stop their own run through <see cref="LiveRuns"/>; it is
/// then stored as <c>killed</c>. Every run is registered there while in flight, with its output so far,
/// which is also written into its row as it comes (<see cref="StreamedOutputWriter"/>) so a crash keeps it.
/// A result the database refuses is answered as <c>internal_error</c> saying that the run did execute, and
/// stored as that by <see cref="UnstoredRunResults"/> as soon as the database takes writes again.
/// In a conversation whose mode is <see cref="ConversationMode.Session"/>, a snippet of a language with a
/// session driver runs in the conversation's live session (<see cref="ISessionRunner"/>); everything else
/// runs in a fresh sandbox. Admission (quotas, the queue) is the same for both.
/// Every admitted run sees its conversation's attachments under <c>inputs/</c>, loaded once it is admitted
/// (so a queued run holds no file bytes), and its displayed items and files are kept within the person's
/// storage quota (<see cref="StorageQuotaGate"/>) before the result is stored.
/// </remarks>
public sealed class RunService(
    IRunStore store, ICodeExecutor executor, IRunAdmission admission, LanguageCatalog languages,
    IOptions<ExecutionOptions> options, IHostApplicationLifetime lifetime, ILogger<RunService> logger,
    LiveRuns liveRuns, IServiceScopeFactory scopes, UnstoredRunResults unstored, TimeProvider time,
    ISessionRunner sessions, IAttachmentStore attachments, RunCompletion completion,
    CodeChatterMetrics? metrics = null)
{
    private readonly RunInputRules _rules = new(languages, options);

    /// <summary>The detail of a run stopped by the server shutting down.</summary>
    public const string InterruptedDetail = "interrupted";

    /// <summary>
    /// How a run ends that its executor could not finish (the server stopping, a runner gone):
    /// <c>internal_error</c>/<see cref="InterruptedDetail"/>.
    /// </summary>
    public static ExecutionResult Interrupted(SandboxLevel level, DateTimeOffset startedAt, DateTimeOffset finishedAt) => new()
    {
        Status = RunStatus.InternalError, Detail = InterruptedDetail, SandboxLevel = level, StartedAt = startedAt, FinishedAt = finishedAt,
    };

    /// <summary>The detail of a run a person stopped while it waited for room to run.</summary>
    public const string StoppedBeforeStartDetail = "stopped before it started";

    /// <summary>The detail of a run that did not start because its conversation's attachments could not be read.</summary>
    public const string AttachmentsUnreadableDetail = "the conversation's attachments could not be read";

    /// <summary>Language id stored on notes.</summary>
    public const string NoteLanguage = "markdown";

    /// <summary>
    /// Checks a message before anything is stored: a known language, non-blank text, sizes within limits.
    /// </summary>
    /// <remarks>Also refuses NUL characters (see <see cref="MessageText"/>).</remarks>
    /// <returns>Problems by field name (<c>Language</c>, <c>Text</c>, <c>Stdin</c>); empty when valid.</returns>
    public IReadOnlyDictionary<string, string> Validate(SnippetKind kind, string? language, string? text, string? stdin)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var what = kind == SnippetKind.Note ? "note" : "code";
        if (kind == SnippetKind.Code && _rules.LanguageProblem(language) is { } unknown)
        {
            problems["Language"] = unknown;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            problems["Text"] = $"Write some {what} first.";
        }
        else if (_rules.TextSizeProblem(text, what) is { } tooLarge)
        {
            problems["Text"] = tooLarge;
        }
        else if (MessageText.NulProblem(text, what) is { } nul)
        {
            problems["Text"] = nul;
        }
        if (kind == SnippetKind.Code && _rules.StdinSizeProblem(stdin) is { } stdinTooLarge)
        {
            problems["Stdin"] = stdinTooLarge;
        }
        else if (kind == SnippetKind.Code && MessageText.NulProblem(stdin, "input") is { } stdinNul)
        {
            problems["Stdin"] = stdinNul;
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
        message = Normalize(message);
        var storing = Stopwatch.GetTimestamp();
        var stored = await store.AddMessageAsync(message, cancellationToken);
        metrics?.PhaseTook(RunPhases.StoreMessage, storing);
        unstored.TryNow();
        if (stored is null) return null;
        if (stored.ExecutionId is not { } executionId) return new SubmitOutcome(stored, null);

        var result = await RunAndStoreAsync(message.UserId, executionId, RequestFor(message), Where(stored));
        return new SubmitOutcome(stored, result);
    }

    /// <summary>
    /// Stores a message and, for code, starts its run and returns at once: the run goes on in the
    /// background (watch or stop it through <see cref="LiveRuns"/>), with services from a scope of its own
    /// since it outlives the caller's.
    /// </summary>
    /// <returns>The ids and the run's completion, or null when the conversation is not that person's.</returns>
    /// <exception cref="ArgumentException">The message does not pass <see cref="Validate"/>.</exception>
    public async Task<StartedMessage?> StartAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        message = Normalize(message);
        var storing = Stopwatch.GetTimestamp();
        var stored = await store.AddMessageAsync(message, cancellationToken);
        metrics?.PhaseTook(RunPhases.StoreMessage, storing);
        unstored.TryNow();
        if (stored is null) return null;
        if (stored.ExecutionId is not { } executionId) return new StartedMessage(stored, null);

        return new StartedMessage(stored, RunInBackground(message.UserId, executionId, RequestFor(message), Where(stored)));
    }

    private static ExecutionRequest RequestFor(NewMessage message) => new(message.Language, message.Text)
    {
        Stdin = message.Stdin,
        Input = message.Interactive ? new RunInput() : null,
    };

    private static RunPlace Where(StoredMessage stored) => new(stored.ConversationId, stored.Mode);

    private static RunPlace Where(StartedRun started) => new(started.ConversationId, started.Mode);

    /// <summary>
    /// Starts another run of one snippet of that person's and returns at once, as <see cref="StartAsync"/>
    /// does: the run goes on in the background, to be watched or stopped through <see cref="LiveRuns"/>.
    /// </summary>
    /// <param name="userId">Whose snippet it must be.</param>
    /// <param name="snippetId">The snippet to run again.</param>
    /// <param name="trigger"><see cref="ExecutionTrigger.Rerun"/>, or <see cref="ExecutionTrigger.ConversationRerun"/>
    /// for one step of re-running a whole conversation.</param>
    /// <param name="restartSession">
    /// End the conversation's live sessions (<see cref="SessionEndReason.Restart"/>) before this run, so it
    /// starts a new one: pass true for the first step of re-running a whole conversation in session mode,
    /// which then replays from nothing, reproducibly. Ignored in a fresh conversation.
    /// </param>
    /// <param name="interactive">Whether the person can type into the run while it is in flight (see <see cref="NewMessage.Interactive"/>).</param>
    /// <param name="cancellationToken">Cancels storing the in-flight run only.</param>
    /// <returns>The new run and its completion, or null when the snippet is not theirs or is a note.</returns>
    /// <remarks>
    /// In a session conversation a single re-run (without <paramref name="restartSession"/>) runs in the live
    /// session, as a notebook re-executes a cell: it sees the state the messages after it left.
    /// </remarks>
    public async Task<StartedRerun?> StartRerunAsync(
        string userId, long snippetId, ExecutionTrigger trigger = ExecutionTrigger.Rerun, bool restartSession = false,
        bool interactive = false, CancellationToken cancellationToken = default)
    {
        var started = await store.StartRerunAsync(userId, snippetId, trigger, cancellationToken);
        if (started is null) return null;
        if (restartSession) await RestartSessionsAsync(userId, started);
        var request = interactive ? started.Request with { Input = new RunInput() } : started.Request;
        return new StartedRerun(started.ConversationId, started.SnippetId, started.ExecutionId,
            RunInBackground(userId, started.ExecutionId, request, Where(started)));
    }

    private async Task RestartSessionsAsync(string userId, StartedRun started)
    {
        if (started.Mode != ConversationMode.Session) return;
        var ended = await sessions.EndConversationAsync(userId, started.ConversationId, SessionEndReason.Restart);
        logger.LogDebug("Ended {Count} sessions of conversation {ConversationId} to re-run it from the start", ended, started.ConversationId);
    }

    // Services from a scope of its own: the run outlives the caller's.
    private Task<ExecutionResult> RunInBackground(string userId, long executionId, ExecutionRequest request, RunPlace place)
    {
        var live = liveRuns.Begin(executionId, userId, lifetime.ApplicationStopping, request.Input);
        return Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                return await scope.ServiceProvider.GetRequiredService<RunService>().RunAndStoreAsync(userId, executionId, request, place, live);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Run {ExecutionId} failed outside the sandbox", executionId);
                throw;
            }
        }, CancellationToken.None);
    }

    private NewMessage Normalize(NewMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var problems = Validate(message.Kind, message.Language, message.Text, message.Stdin);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems.Values), nameof(message));
        if (MessageText.NulProblem(message.Title, "title") is { } title) throw new ArgumentException(title, nameof(message));
        if (message.Kind == SnippetKind.Code && languages.TryGetAvailable(message.Language, out var language))
        {
            return message with { Language = language.Id };
        }
        return message.Kind == SnippetKind.Note ? message with { Language = NoteLanguage, Stdin = "" } : message;
    }

    /// <summary>
    /// Runs one snippet of that person's again, adding a run; in a session conversation, in its live session
    /// (see <see cref="StartRerunAsync"/>).
    /// </summary>
    /// <returns>The new run, or null when the snippet is not theirs or is a note.</returns>
    public async Task<RerunOutcome?> RerunSnippetAsync(string userId, long snippetId, CancellationToken cancellationToken = default)
    {
        var started = await store.StartRerunAsync(userId, snippetId, ExecutionTrigger.Rerun, cancellationToken);
        if (started is null) return null;
        var result = await RunAndStoreAsync(userId, started.ExecutionId, started.Request, Where(started));
        return Outcome(started, result);
    }

    /// <summary>
    /// Runs every code snippet of that person's conversation again, in order, one after the other, and
    /// says for each whether its output changed since its previous run. In a session conversation its
    /// sessions are ended first (<see cref="SessionEndReason.Restart"/>), so the replay runs in a new session
    /// from nothing, as a notebook's "restart and run all".
    /// </summary>
    /// <returns>One outcome per code snippet, or null when the conversation is not theirs.</returns>
    public async Task<IReadOnlyList<RerunOutcome>?> RerunConversationAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        var snippetIds = await store.GetCodeSnippetIdsAsync(userId, conversationId, cancellationToken);
        if (snippetIds is null) return null;
        var outcomes = new List<RerunOutcome>(snippetIds.Count);
        var restarted = false;
        foreach (var snippetId in snippetIds)
        {
            // Stop starting new runs when the host stops; runs already stored stay stored.
            if (lifetime.ApplicationStopping.IsCancellationRequested) break;
            var started = await store.StartRerunAsync(userId, snippetId, ExecutionTrigger.ConversationRerun, CancellationToken.None);
            if (started is null) continue;
            if (!restarted)
            {
                await RestartSessionsAsync(userId, started);
                restarted = true;
            }
            var result = await RunAndStoreAsync(userId, started.ExecutionId, started.Request, Where(started));
            outcomes.Add(Outcome(started, result));
        }
        return outcomes;
    }

    private static RerunOutcome Outcome(StartedRun started, ExecutionResult result) => new(
        started.ConversationId, started.SnippetId, started.ExecutionId, result,
        RunOutput.From(result).HasChangedSince(started.Previous));

    private Task<ExecutionResult> RunAndStoreAsync(string userId, long executionId, ExecutionRequest request, RunPlace place) =>
        RunAndStoreAsync(userId, executionId, request, place, liveRuns.Begin(executionId, userId, lifetime.ApplicationStopping, request.Input));

    // A scope of its own, as for the output so far: called from inside the session runner's run.
    private async Task<int> NextSessionGenerationAsync(long conversationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IRunStore>().NextSessionGenerationAsync(conversationId, cancellationToken);
    }

    private Task<ExecutionResult> ExecuteAsync(string userId, ExecutionRequest request, RunPlace place, Action<OutputChunk> output, CancellationToken cancellationToken) =>
        place.Mode == ConversationMode.Session && sessions.Supports(request.Language)
            ? sessions.ExecuteAsync(
                new SessionKey(userId, place.ConversationId, request.Language), request,
                token => NextSessionGenerationAsync(place.ConversationId, token), output, cancellationToken)
            : executor.ExecuteAsync(request, output, cancellationToken);

    // Notes never get here (they have no run), and a conversation without attachments costs one indexed
    // query that finds nothing, so a run with no files starts as fast as before files existed.
    private async Task<ExecutionResult> ExecuteWithInputsAsync(
        string userId, ExecutionRequest request, RunPlace place, Action<OutputChunk> output, CancellationToken cancellationToken)
    {
        IReadOnlyList<InputFile> inputs;
        try
        {
            var loading = Stopwatch.GetTimestamp();
            inputs = await attachments.LoadInputsAsync(place.ConversationId, cancellationToken);
            metrics?.PhaseTook(RunPhases.Attachments, loading);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Running without the files the snippet expects would answer with a misleading error of its own.
            logger.LogError(exception, "The attachments of conversation {ConversationId} could not be read", place.ConversationId);
            var now = time.GetUtcNow();
            return new ExecutionResult
            {
                Status = RunStatus.InternalError, Detail = AttachmentsUnreadableDetail, SandboxLevel = executor.Level,
                StartedAt = now, FinishedAt = now,
            };
        }
        return await ExecuteAsync(userId, inputs.Count == 0 ? request : request with { Inputs = inputs }, place, output, cancellationToken);
    }

    // A scope of its own: this runs beside the run's own use of its scope's store.
    private async Task SaveOutputSoFarAsync(long executionId, StreamedOutput output)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IRunStore>().SaveOutputSoFarAsync(executionId, output.Stdout, output.Stderr);
    }

    private async Task<ExecutionResult> RunAndStoreAsync(string userId, long executionId, ExecutionRequest request, RunPlace place, LiveRun live)
    {
        using var logScope = logger.BeginScope("Run {RunId} of {PersonId}", executionId, userId);
        var stopping = lifetime.ApplicationStopping;
        ExecutionResult? result = null;
        await using var writeThrough = new StreamedOutputWriter(live, output => SaveOutputSoFarAsync(executionId, output), logger);
        try
        {
            try
            {
                // live.Token is cancelled by Stop and by the host stopping.
                var admitting = Stopwatch.GetTimestamp();
                using var admitted = await admission.AdmitAsync(userId, live.Token);
                metrics?.PhaseTook(RunPhases.Admission, admitting);
                result = admitted.IsAdmitted
                    ? await ExecuteWithInputsAsync(userId, request with { ExecutionId = executionId, OwnerId = userId }, place, chunk => { live.Append(chunk); writeThrough.OutputArrived(); }, live.Token)
                    : ExecutionResult.Rejected(admitted.Refusal!, executor.Level, time.GetUtcNow()) with { RetryAfter = admitted.RetryAfter };
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Nothing ran: the caller gets the answer the row gets, not an exception.
                logger.LogInformation("Run {ExecutionId} was not started: the server is stopping", executionId);
                var now = time.GetUtcNow();
                result = Interrupted(executor.Level, now, now);
            }
            catch (OperationCanceledException) when (live.StopRequested)
            {
                var now = time.GetUtcNow();
                result = new ExecutionResult
                {
                    Status = RunStatus.Killed, Detail = StoppedBeforeStartDetail, SandboxLevel = executor.Level,
                    StartedAt = now, FinishedAt = now,
                };
            }
            // A person's Stop is a kill; the host stopping is not the snippet's doing.
            if (stopping.IsCancellationRequested && result.Status == RunStatus.Killed && !live.StopRequested)
            {
                result = result with { Status = RunStatus.InternalError, Detail = InterruptedDetail };
            }
            // The run is over: nothing more it could read, and what was typed is kept with its reply.
            if (request.Input is { } input)
            {
                input.End();
                if (result.TypedInput.Length == 0 && input.Transcript.Length > 0) result = result with { TypedInput = input.Transcript };
            }
            await writeThrough.DisposeAsync();
            // A cluster's runner stores what it ran; everything else is stored here.
            if (!result.StoredWhereItRan) result = await completion.StoreAsync(userId, executionId, result);
            metrics?.RunFinished(request.Language, result);
            return result;
        }
        finally
        {
            // Watchers hear the end only once it is stored; a run that could not be stored ends as its
            // in-flight row reads.
            live.Complete(result ?? Interrupted(executor.Level, default, default));
        }
    }
}

/// <summary>Which conversation a run belongs to and how that conversation runs snippets.</summary>
internal sealed record RunPlace(long ConversationId, ConversationMode Mode);

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

/// <summary>A stored message whose run, for code, goes on in the background.</summary>
/// <param name="Stored">The ids of what was stored.</param>
/// <param name="Completion">Ends with the stored result; null for a note.</param>
public sealed record StartedMessage(StoredMessage Stored, Task<ExecutionResult>? Completion);

/// <summary>A new run of an existing snippet, going on in the background.</summary>
/// <param name="ConversationId">The snippet's conversation.</param>
/// <param name="SnippetId">The snippet.</param>
/// <param name="ExecutionId">The new run.</param>
/// <param name="Completion">Ends with the stored result.</param>
public sealed record StartedRerun(long ConversationId, long SnippetId, long ExecutionId, Task<ExecutionResult> Completion);
