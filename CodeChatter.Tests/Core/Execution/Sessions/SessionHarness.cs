using System.Collections.Concurrent;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>
/// A real <see cref="SessionRunner"/> over the sandbox fixture's cold executor (its launcher, uid
/// slots, run folder and seccomp filter), with generation numbers kept per conversation as the chat
/// service keeps them in the database. Disposing it ends every session.
/// </summary>
public sealed class SessionHarness : IDisposable
{
    private readonly ConcurrentDictionary<(string User, long Conversation), int> _generations = new();

    public SessionHarness(SandboxFixture sandbox, TimeProvider? time = null, Action<ExecutionOptions>? configure = null)
    {
        sandbox.RequireBubblewrap();
        var options = SandboxFixture.LoadWebOptions();
        options.SandboxUidBase = sandbox.Options.SandboxUidBase;
        options.RunDirectory = sandbox.Options.RunDirectory;
        configure?.Invoke(options);
        Options = options;
        Runner = new SessionRunner(
            sandbox.ColdExecutor, sandbox.Sandbox, sandbox.Languages, new OptionsWrapper<ExecutionOptions>(options),
            time ?? TimeProvider.System, NullLogger<SessionRunner>.Instance);
    }

    public ExecutionOptions Options { get; }

    public SessionRunner Runner { get; }

    /// <summary>How many times a conversation's generation was asked for (sessions started for it).</summary>
    public int GenerationsOf(long conversationId, string userId = "ada") => _generations.GetValueOrDefault((userId, conversationId));

    public Task<ExecutionResult> RunAsync(
        SessionKey key, string code, string stdin = "", RunInput? input = null, ExecutionLimits? limits = null,
        Action<OutputChunk>? output = null, CancellationToken cancellationToken = default, IReadOnlyList<InputFile>? inputs = null) =>
        Runner.ExecuteAsync(
            key, new ExecutionRequest(key.LanguageId, code) { Stdin = stdin, Input = input, Limits = limits, Inputs = inputs ?? [] },
            _ => Task.FromResult(_generations.AddOrUpdate((key.UserId, key.ConversationId), 1, (_, generation) => generation + 1)),
            output, cancellationToken);

    public void Dispose() => Runner.Dispose();
}

/// <summary>A clock the test moves by hand; its timers fire when it is advanced past them.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers) return _now;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_timers)
        {
            _now += by;
            due = _timers.Where(timer => timer.Due <= _now).ToList();
        }
        foreach (var timer in due) timer.Fire(_now);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, period);
        lock (_timers)
        {
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _now + dueTime;
            _timers.Add(timer);
        }
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state, TimeSpan period) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public void Fire(DateTimeOffset now)
        {
            Due = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan ? now + period : DateTimeOffset.MaxValue;
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan newPeriod) => false;

        public void Dispose()
        {
            lock (owner._timers) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
