using System.Text;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// Runs conversations' messages in long-lived sandboxed sessions (see <see cref="ISessionRunner"/>)
/// and owns their lifetimes. Sessions need bubblewrap: without it (a development machine) this runner
/// supports no language and callers run messages in fresh boxes instead.
/// </summary>
/// <remarks>
/// A request's tighter wall, CPU and output limits apply to its message; memory and processes are the
/// session's (the instance's limits, set when the session started), so tighter values of those are not
/// applied. Python's <c>exit()</c>/<c>sys.exit()</c> ends only the message (as in Jupyter); Node's
/// <c>process.exit</c> and Bash's <c>exit</c> end the session.
/// </remarks>
public sealed class SessionRunner : ISessionRunner, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private static readonly TimeSpan LongestIdleCheckPeriod = TimeSpan.FromSeconds(30);

    private readonly SandboxedExecutor _executor;
    private readonly SandboxEnvironment _environment;
    private readonly LanguageCatalog _languages;
    private readonly ExecutionOptions _options;
    private readonly RunInputRules _rules;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionRunner> _logger;
    private readonly SessionRegistry _registry;
    private readonly ITimer _idleCheck;
    private int _disposed;
    private int _pendingShutDowns;

    /// <summary>Creates the runner over the executor whose launcher, uid slots, run folder and seccomp filter its boxes share.</summary>
    /// <param name="executor">The executor that starts the boxes.</param>
    /// <param name="environment">The isolation this machine gives.</param>
    /// <param name="languages">The configured languages (their <see cref="LanguageDefinition.Session"/> driver).</param>
    /// <param name="options">Limits, idle time and caps.</param>
    /// <param name="time">The clock for idle ends and result times.</param>
    /// <param name="logger">Where session failures are logged.</param>
    public SessionRunner(
        SandboxedExecutor executor, SandboxEnvironment environment, LanguageCatalog languages, IOptions<ExecutionOptions> options,
        TimeProvider time, ILogger<SessionRunner> logger)
    {
        _executor = executor;
        _environment = environment;
        _languages = languages;
        _options = options.Value;
        _rules = new RunInputRules(languages, options);
        _time = time;
        _logger = logger;
        _registry = new SessionRegistry(_options.MaxSessionsPerUser, _options.MaxSessions);
        var idle = TimeSpan.FromMinutes(_options.SessionIdleMinutes);
        var period = idle / 4 < LongestIdleCheckPeriod ? idle / 4 : LongestIdleCheckPeriod;
        _idleCheck = _time.CreateTimer(_ => EndIdleSessions(), null, period, period);
    }

    /// <inheritdoc />
    public bool Supports(string languageId) =>
        _environment.Level == SandboxLevel.Bubblewrap
        && _languages.TryGetAvailable(languageId, out var language)
        && SessionDrivers.IsKnown(language.Definition.Session);

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(
        SessionKey key, ExecutionRequest request, Func<CancellationToken, Task<int>> newGeneration,
        Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newGeneration);
        if (_rules.FirstProblem(request) is { } refusal) return Rejected(refusal);
        if (!string.Equals(request.Language, key.LanguageId, StringComparison.OrdinalIgnoreCase))
        {
            return Rejected($"The message is {request.Language} but the session is {key.LanguageId}.");
        }
        if (!Supports(key.LanguageId)) return Rejected($"{key.LanguageId} has no sessions on this machine.");
        if (Volatile.Read(ref _disposed) == 1) return Rejected("The server is stopping.");
        _languages.TryGetAvailable(key.LanguageId, out var language);
        key = key with { LanguageId = language.Id };
        var limits = EffectiveLimits.From(_options, request.Limits);
        var code = Utf8.GetBytes(request.Code);
        var stdin = Utf8.GetBytes(request.Stdin);

        while (true)
        {
            if (cancellationToken.IsCancellationRequested) return StoppedBeforeStart(request);
            var joined = _registry.Join(key, _time.GetUtcNow());
            if (joined.Evicted is { } evicted) await ShutDownAsync(evicted, SessionEndReason.Evicted);
            if (joined.Session is not { } session)
            {
                // A busy session frees its room within about one message's wall-clock limit.
                return Rejected($"You have {_options.MaxSessionsPerUser} live sessions, all busy, or the machine has no room for another; " +
                    "end one or try again shortly.") with { RetryAfter = TimeSpan.FromMilliseconds(_options.WallTimeLimitMs) };
            }
            IDisposable turn;
            try
            {
                turn = await session.Gate.EnterAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _registry.Leave(session);
                return StoppedBeforeStart(request);
            }
            try
            {
                // Ended (idle, restart, an exit or a kill) while this message waited: it starts the next one.
                if (session.IsEnded) continue;
                if (session.Box is { IsAlive: false } gone)
                {
                    // Its interpreter died between messages (a background thread ended it): start the next one.
                    _registry.Remove(session);
                    gone.Dispose();
                    continue;
                }
                return await RunInSessionAsync(session, language.Definition, request, code, stdin, limits, newGeneration, output, cancellationToken);
            }
            finally
            {
                turn.Dispose();
                _registry.Leave(session);
            }
        }
    }

    private async Task<ExecutionResult> RunInSessionAsync(
        LiveSession session, LanguageDefinition language, ExecutionRequest request, byte[] code, byte[] stdin, EffectiveLimits limits,
        Func<CancellationToken, Task<int>> newGeneration, Action<OutputChunk>? output, CancellationToken cancellationToken)
    {
        var started = false;
        if (session.Box is null)
        {
            try
            {
                session.Generation = await newGeneration(cancellationToken);
                session.Box = await _executor.StartSessionBoxAsync(language, cancellationToken);
                session.StartedAt = session.LastActiveAt = _time.GetUtcNow();
                started = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _registry.Remove(session);
                return StoppedBeforeStart(request);
            }
            catch (Exception exception)
            {
                _registry.Remove(session);
                _logger.LogError(exception, "A {Language} session failed to start", session.Key.LanguageId);
                var now = _time.GetUtcNow();
                return new ExecutionResult
                {
                    Status = RunStatus.InternalError, Detail = "the session failed to start", SandboxLevel = _environment.Level,
                    TypedInput = request.Input?.Transcript ?? "", StartedAt = now, FinishedAt = now,
                };
            }
            if (session.IsEnded)
            {
                // Ended while it was starting (the person restarted it, the server is stopping).
                session.Box.Dispose();
                return StoppedBeforeStart(request);
            }
        }

        var box = session.Box;
        try
        {
            box.Inputs?.Sync(request.Inputs);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _logger.LogError(exception, "The attachments of a {Language} session could not be brought in step", session.Key.LanguageId);
            var now = _time.GetUtcNow();
            return new ExecutionResult
            {
                Status = RunStatus.InternalError, Detail = "the conversation's attachments could not be given to the session",
                SandboxLevel = _environment.Level, TypedInput = request.Input?.Transcript ?? "", StartedAt = now, FinishedAt = now,
            };
        }
        var counter = ++session.MessagesRun;
        session.IsBusy = true;
        SessionBox.Outcome outcome;
        try
        {
            outcome = await box.RunAsync(counter, code, stdin, request.Input, limits, _environment.Level, output, _time, cancellationToken);
        }
        finally
        {
            session.IsBusy = false;
            session.LastActiveAt = _time.GetUtcNow();
        }
        if (outcome.Event != SessionEvent.Continued || !box.IsAlive)
        {
            // Nothing of a session that ended is left behind before its reply is given.
            _registry.Remove(session);
            box.Dispose();
        }
        var sessionEvent = started && outcome.Event == SessionEvent.Continued ? SessionEvent.Started : outcome.Event;
        return outcome.Result with { Session = new SessionRunInfo(session.Generation, counter, sessionEvent) };
    }

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> List() =>
        _registry.Snapshot().Where(session => session.Box is not null).Select(session => session.Describe()).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<LiveSessionInfo> ListFor(string userId, long conversationId) =>
        _registry.Snapshot()
            .Where(session => session.Box is not null && session.Key.UserId == userId && session.Key.ConversationId == conversationId)
            .Select(session => session.Describe()).ToArray();

    /// <inheritdoc />
    public async Task<bool> EndAsync(Guid sessionId, SessionEndReason reason)
    {
        var ended = _registry.RemoveWhere(session => session.Id == sessionId);
        foreach (var session in ended) await ShutDownAsync(session, reason);
        return ended.Count > 0;
    }

    /// <inheritdoc />
    public Task<int> EndConversationAsync(string userId, long conversationId, SessionEndReason reason) =>
        EndWhereAsync(session => session.Key.UserId == userId && session.Key.ConversationId == conversationId, reason);

    /// <inheritdoc />
    public Task<int> EndPersonAsync(string userId, SessionEndReason reason) =>
        EndWhereAsync(session => session.Key.UserId == userId, reason);

    private async Task<int> EndWhereAsync(Func<LiveSession, bool> match, SessionEndReason reason)
    {
        var ended = _registry.RemoveWhere(match);
        foreach (var session in ended) await ShutDownAsync(session, reason);
        return ended.Count;
    }

    /// <summary>Ends the sessions idle for <c>SessionIdleMinutes</c> (called by a timer of the injected clock).</summary>
    internal void EndIdleSessions()
    {
        var cutoff = _time.GetUtcNow() - TimeSpan.FromMinutes(_options.SessionIdleMinutes);
        foreach (var session in _registry.RemoveIdleSince(cutoff))
        {
            _ = ShutDownAsync(session, SessionEndReason.Idle);
        }
    }

    // The box of a removed session; a message running in it reports that its session was ended.
    private Task ShutDownAsync(LiveSession session, SessionEndReason reason)
    {
        Interlocked.Increment(ref _pendingShutDowns);
        return Task.Run(() =>
        {
            try
            {
                ShutDown(session, reason);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingShutDowns);
            }
        });
    }

    /// <summary>Whether every session ended so far has been shut down (nothing of it is left on the host).</summary>
    internal bool IsShutDownComplete => Volatile.Read(ref _pendingShutDowns) == 0;

    private void ShutDown(LiveSession session, SessionEndReason reason)
    {
        if (session.Box is not { } box) return;
        try
        {
            box.Kill($"the session was ended ({Describe(reason)})");
            box.Dispose();
            _logger.LogInformation("Ended a {Language} session ({Reason})", session.Key.LanguageId, reason);
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Ending a session failed");
        }
    }

    private static string Describe(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Idle => "idle too long",
        SessionEndReason.Restart => "restarted",
        SessionEndReason.ConversationDeleted => "its conversation was deleted",
        SessionEndReason.PersonDisabled => "its person was disabled",
        SessionEndReason.Admin => "by an admin",
        SessionEndReason.Evicted => "to make room for a newer session",
        _ => "the server is stopping",
    };

    private ExecutionResult Rejected(string reason) => ExecutionResult.Rejected(reason, _environment.Level, _time.GetUtcNow());

    private ExecutionResult StoppedBeforeStart(ExecutionRequest request)
    {
        var now = _time.GetUtcNow();
        return new ExecutionResult
        {
            Status = RunStatus.Killed, Detail = "stopped before it started", SandboxLevel = _environment.Level,
            TypedInput = request.Input?.Transcript ?? "", StartedAt = now, FinishedAt = now,
        };
    }

    /// <summary>Ends every session: no process, cgroup or folder of any is left, and their uids are free.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _idleCheck.Dispose();
        var sessions = _registry.RemoveWhere(_ => true);
        Parallel.ForEach(sessions, session => ShutDown(session, SessionEndReason.ServerStopping));
    }
}
