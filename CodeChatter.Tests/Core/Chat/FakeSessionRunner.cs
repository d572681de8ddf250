using System.Collections.Concurrent;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Chat;

/// <summary>
/// A stand-in for the session engine that records what it was asked and answers like it: the first message
/// of a key starts a session (asking for the conversation's next generation), later ones continue it. It
/// echoes what is typed into a run as its output. Python, JavaScript and Bash have sessions; C does not.
/// </summary>
public sealed class FakeSessionRunner : ISessionRunner
{
    private readonly ConcurrentDictionary<SessionKey, LiveSessionInfo> _live = new();
    private readonly TimeProvider _clock;

    public FakeSessionRunner(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>Everything asked of it, in order: "execute python 1", "end-conversation 1 Restart"...</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The requests it ran, in order.</summary>
    public ConcurrentQueue<ExecutionRequest> Requests { get; } = new();

    /// <summary>Answers a message that would start a session as the engine does at its session cap: rejected, with a Retry-After.</summary>
    public bool RefuseNewSessions { get; set; }

    public bool Supports(string languageId) => languageId is "python" or "javascript" or "bash";

    public async Task<ExecutionResult> ExecuteAsync(
        SessionKey key, ExecutionRequest request, Func<CancellationToken, Task<int>> newGeneration,
        Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"execute {key.LanguageId} {key.ConversationId}");
        Requests.Enqueue(request);
        var started = _clock.GetUtcNow();
        if (RefuseNewSessions && !_live.ContainsKey(key))
        {
            return ExecutionResult.Rejected("Too many live sessions on this server; try again shortly.", SandboxLevel.Bubblewrap, started)
                with { RetryAfter = TimeSpan.FromSeconds(30) };
        }
        SessionEvent happened;
        if (_live.TryGetValue(key, out var session))
        {
            session = session with { MessagesRun = session.MessagesRun + 1, IsBusy = true };
            happened = SessionEvent.Continued;
        }
        else
        {
            var generation = await newGeneration(cancellationToken);
            session = new LiveSessionInfo(Guid.NewGuid(), key.UserId, key.ConversationId, key.LanguageId, generation, 1, 10_000_000, started, started, true);
            happened = SessionEvent.Started;
        }
        _live[key] = session;
        var typed = "";
        if (request.Input is { } input)
        {
            await foreach (var piece in input.Typed.ReadAllAsync(cancellationToken))
            {
                typed += piece;
                output?.Invoke(new OutputChunk(OutputStream.Stdout, piece));
            }
        }
        _live[key] = session with { IsBusy = false, LastActiveAt = _clock.GetUtcNow() };
        return new ExecutionResult
        {
            Status = RunStatus.Succeeded, ExitCode = 0, Stdout = request.Stdin + typed, SandboxLevel = SandboxLevel.Bubblewrap,
            StartedAt = started, FinishedAt = _clock.GetUtcNow(), TypedInput = typed,
            Session = new SessionRunInfo(session.Generation, session.MessagesRun, happened),
        };
    }

    /// <summary>Makes a session live as if a message had started it.</summary>
    public LiveSessionInfo Add(string userId, long conversationId, string languageId, int generation, DateTimeOffset lastActiveAt)
    {
        var session = new LiveSessionInfo(Guid.NewGuid(), userId, conversationId, languageId, generation, 3, 20_000_000, lastActiveAt.AddMinutes(-1), lastActiveAt, false);
        _live[new SessionKey(userId, conversationId, languageId)] = session;
        return session;
    }

    public IReadOnlyList<LiveSessionInfo> List() => _live.Values.ToList();

    public IReadOnlyList<LiveSessionInfo> ListFor(string userId, long conversationId) =>
        _live.Values.Where(s => s.UserId == userId && s.ConversationId == conversationId).ToList();

    public Task<bool> EndAsync(Guid sessionId, SessionEndReason reason)
    {
        Calls.Enqueue($"end {sessionId} {reason}");
        return Task.FromResult(Remove(s => s.Id == sessionId) > 0);
    }

    public Task<int> EndConversationAsync(string userId, long conversationId, SessionEndReason reason)
    {
        Calls.Enqueue($"end-conversation {conversationId} {reason}");
        return Task.FromResult(Remove(s => s.UserId == userId && s.ConversationId == conversationId));
    }

    public Task<int> EndPersonAsync(string userId, SessionEndReason reason)
    {
        Calls.Enqueue($"end-person {userId} {reason}");
        return Task.FromResult(Remove(s => s.UserId == userId));
    }

    private int Remove(Func<LiveSessionInfo, bool> which)
    {
        var ended = 0;
        foreach (var (key, session) in _live)
        {
            if (which(session) && _live.TryRemove(key, out _)) ended++;
        }
        return ended;
    }
}
