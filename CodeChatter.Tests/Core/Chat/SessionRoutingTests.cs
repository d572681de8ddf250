using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Chat;

/// <summary>How <see cref="RunService"/> and <see cref="SessionService"/> use the session runner (a recording fake here).</summary>
public class SessionRoutingTests
{
    private const string Ada = "ada";

    [Fact]
    public async Task A_snippet_of_a_session_conversation_runs_in_its_session_keyed_by_person_conversation_and_language()
    {
        var (services, store, sessions, executor) = Create();

        var first = await services.Runs().SubmitAsync(Message("x = 1"));
        var second = await services.Runs().SubmitAsync(Message("print(x)") with { ConversationId = first!.Stored.ConversationId });

        Assert.Equal(["execute python 1", "execute python 1"], sessions.Calls);
        Assert.Equal(0, executor.Runs);
        Assert.Equal(new SessionRunInfo(1, 1, SessionEvent.Started), store.Completed[first.Stored.ExecutionId!.Value].Session);
        Assert.Equal(new SessionRunInfo(1, 2, SessionEvent.Continued), store.Completed[second!.Stored.ExecutionId!.Value].Session);
        Assert.Equal(1, store.Generations[1]);
    }

    [Fact]
    public async Task A_fresh_conversation_and_a_language_without_a_session_driver_run_in_a_fresh_sandbox()
    {
        var (services, store, sessions, executor) = Create();

        var fresh = await services.Runs().SubmitAsync(Message("print(1)") with { Mode = ConversationMode.Fresh });
        var c = await services.Runs().SubmitAsync(Message("int main(){}") with { Language = "c" });

        Assert.Empty(sessions.Calls);
        Assert.Equal(2, executor.Runs);
        Assert.Null(store.Completed[fresh!.Stored.ExecutionId!.Value].Session);
        Assert.Equal(ConversationMode.Session, c!.Stored.Mode);
    }

    [Fact]
    public async Task Re_running_a_whole_session_conversation_ends_its_sessions_before_replaying_every_snippet_in_order()
    {
        var (services, store, sessions, _) = Create();
        var first = await services.Runs().SubmitAsync(Message("x = 1"));
        var conversationId = first!.Stored.ConversationId;
        await services.Runs().SubmitAsync(Message("print(x)") with { ConversationId = conversationId });
        sessions.Calls.Clear();

        var outcomes = await services.Runs().RerunConversationAsync(Ada, conversationId);

        Assert.Equal(["end-conversation 1 Restart", "execute python 1", "execute python 1"], sessions.Calls);
        Assert.Equal([SessionEvent.Started, SessionEvent.Continued], outcomes!.Select(o => o.Result.Session!.Event));
        Assert.Equal(2, outcomes![0].Result.Session!.Generation);
    }

    [Fact]
    public async Task A_live_re_run_step_asked_to_restart_ends_the_sessions_first_and_a_single_re_run_continues_the_live_session()
    {
        var (services, store, sessions, _) = Create();
        var first = await services.Runs().SubmitAsync(Message("x = 1"));
        var snippetId = first!.Stored.SnippetId;
        sessions.Calls.Clear();

        var single = await services.Runs().StartRerunAsync(Ada, snippetId);
        var singleResult = await single!.Completion;
        var step = await services.Runs().StartRerunAsync(Ada, snippetId, ExecutionTrigger.ConversationRerun, restartSession: true);
        var stepResult = await step!.Completion;

        Assert.Equal(["execute python 1", "end-conversation 1 Restart", "execute python 1"], sessions.Calls);
        Assert.Equal(SessionEvent.Continued, singleResult.Session!.Event);
        Assert.Equal(new SessionRunInfo(2, 1, SessionEvent.Started), stepResult.Session);
    }

    [Fact]
    public async Task Typed_input_reaches_the_running_snippet_and_is_stored_with_its_reply_and_input_ends_with_the_run()
    {
        var (services, store, sessions, _) = Create();

        var started = await services.Runs().StartAsync(Message("print(input())") with { Interactive = true });
        var live = services.GetRequiredService<LiveRuns>().Find(started!.Stored.ExecutionId!.Value, Ada)!;
        Assert.True(live.SendInput("ada\n"));
        live.EndInput();
        var result = await started.Completion!;

        Assert.NotNull(Assert.Single(sessions.Requests).Input);
        Assert.Equal("ada\n", result.TypedInput);
        Assert.Equal("ada\n", store.Completed[started.Stored.ExecutionId.Value].TypedInput);
        Assert.Equal("ada\n", store.Completed[started.Stored.ExecutionId.Value].Stdout);
        Assert.False(live.SendInput("more\n"));
        Assert.True(live.Input!.HasEnded);
    }

    [Fact]
    public async Task A_run_nobody_can_type_into_gets_no_input_and_refuses_typed_text()
    {
        var (services, _, sessions, _) = Create();

        var started = await services.Runs().StartAsync(Message("print(1)"));
        var live = services.GetRequiredService<LiveRuns>().Find(started!.Stored.ExecutionId!.Value, Ada)!;
        await started.Completion!;

        Assert.Null(Assert.Single(sessions.Requests).Input);
        Assert.False(live.SendInput("x\n"));
        live.EndInput();
    }

    [Fact]
    public async Task Deleting_a_conversation_ends_its_sessions_and_someone_elses_delete_ends_nothing()
    {
        var sessions = new FakeSessionRunner();
        var conversations = new ConversationService(new ConversationStore(owner: Ada, conversationId: 5), sessions, TimeProvider.System);

        Assert.False(await conversations.DeleteAsync("bob", 5));
        Assert.True(await conversations.DeleteAsync(Ada, 5));

        Assert.Equal(["end-conversation 5 ConversationDeleted"], sessions.Calls);
    }

    [Fact]
    public async Task The_session_panel_says_state_was_lost_when_no_live_session_is_the_generation_of_the_newest_session_reply()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var sessions = new FakeSessionRunner();
        var queries = new SessionStateQueries { State = new ConversationSessionState(5, ConversationMode.Session, 3) };
        var service = new SessionService(queries, new ConversationStore(Ada, 5), sessions, new CodeChatter.Tests.Data.FixedClock(now));

        var afterRestart = await service.GetPanelAsync(Ada, 5);
        sessions.Add(Ada, 5, "python", 3, now.AddMinutes(-2));
        var live = await service.GetPanelAsync(Ada, 5);

        Assert.True(afterRestart!.StateLost);
        Assert.Empty(afterRestart.Sessions);
        Assert.False(live!.StateLost);
        var session = Assert.Single(live.Sessions);
        Assert.Equal(("python", 3, 3, TimeSpan.FromMinutes(2)), (session.LanguageId, session.Generation, session.MessagesRun, session.Idle));
        Assert.Null(await service.GetPanelAsync("bob", 5));
    }

    [Fact]
    public async Task Restart_ends_the_conversations_sessions_and_a_change_of_mode_ends_them_but_setting_the_same_mode_does_not()
    {
        var sessions = new FakeSessionRunner();
        var store = new ConversationStore(Ada, 5);
        var service = new SessionService(new SessionStateQueries(), store, sessions, TimeProvider.System);

        Assert.Equal(0, await service.RestartAsync(Ada, 5));
        Assert.Null(await service.RestartAsync("bob", 5));
        Assert.True(await service.SetModeAsync(Ada, 5, ConversationMode.Session));
        Assert.True(await service.SetModeAsync(Ada, 5, ConversationMode.Fresh));
        Assert.False(await service.SetModeAsync("bob", 5, ConversationMode.Session));

        Assert.Equal(["end-conversation 5 Restart", "end-conversation 5 Restart"], sessions.Calls);
        Assert.Equal(ConversationMode.Fresh, store.Mode);
    }

    private static NewMessage Message(string code) =>
        new(Ada, null, SnippetKind.Code, "python", code, "", ExecutionTrigger.Submit);

    private static (IServiceProvider, MemoryRunStore, FakeSessionRunner, CountingExecutor) Create()
    {
        var options = Options.Create(new ExecutionOptions
        {
            Languages =
            {
                ["python"] = new LanguageDefinition { FileName = "main.py", Run = ["/usr/bin/python3", "main.py"], Session = "python" },
                ["c"] = new LanguageDefinition { FileName = "main.c", Run = ["/usr/bin/true"] },
            },
        });
        var store = new MemoryRunStore();
        var sessions = new FakeSessionRunner();
        var executor = new CountingExecutor();
        var services = new ServiceCollection()
            .AddSingleton<IRunStore>(store)
            .AddSingleton<ICodeExecutor>(executor)
            .AddSingleton<ISessionRunner>(sessions)
            .AddSingleton(options)
            .AddSingleton<LanguageCatalog>()
            .AddSingleton<IHostApplicationLifetime>(new NeverStopping())
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddSingleton<IConversationStore>(new ConversationStore(Ada, 1))
            .AddSingleton<IConversationQueries>(new SessionStateQueries())
            .AddAttachments(new MemoryAttachmentStore())
            .AddCodeChatterChat()
            .BuildServiceProvider();
        return (services, store, sessions, executor);
    }

    private sealed class CountingExecutor : ICodeExecutor
    {
        private int _runs;

        public int Runs => _runs;

        public SandboxLevel Level => SandboxLevel.Bubblewrap;

        public Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new ExecutionResult { Status = RunStatus.Succeeded, ExitCode = 0, SandboxLevel = Level });
        }
    }

    private sealed class NeverStopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    /// <summary>One person's conversations kept in memory: conversation 1 onwards, each with its mode and snippets.</summary>
    private sealed class MemoryRunStore : IRunStore
    {
        private readonly object _gate = new();
        private readonly Dictionary<long, ConversationMode> _modes = [];
        private readonly Dictionary<long, (long ConversationId, string Language, string Code)> _snippets = [];
        private long _nextId = 100;

        public Dictionary<long, ExecutionResult> Completed { get; } = [];

        public Dictionary<long, int> Generations { get; } = [];

        public Task<StoredMessage?> AddMessageAsync(NewMessage message, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var conversationId = message.ConversationId ?? _modes.Count + 1;
                if (message.ConversationId is null) _modes[conversationId] = message.Mode ?? ConversationModes.Default;
                if (message.UserId != Ada || !_modes.TryGetValue(conversationId, out var mode)) return Task.FromResult<StoredMessage?>(null);
                var snippetId = ++_nextId;
                _snippets[snippetId] = (conversationId, message.Language, message.Text);
                return Task.FromResult<StoredMessage?>(new StoredMessage(conversationId, snippetId, ++_nextId) { Mode = mode });
            }
        }

        public Task<StartedRun?> StartRerunAsync(string userId, long snippetId, ExecutionTrigger trigger, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                if (userId != Ada || !_snippets.TryGetValue(snippetId, out var snippet)) return Task.FromResult<StartedRun?>(null);
                return Task.FromResult<StartedRun?>(new StartedRun(
                    snippet.ConversationId, snippetId, ++_nextId, new ExecutionRequest(snippet.Language, snippet.Code), null)
                {
                    Mode = _modes[snippet.ConversationId],
                });
            }
        }

        public Task<IReadOnlyList<long>?> GetCodeSnippetIdsAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                return Task.FromResult<IReadOnlyList<long>?>(userId == Ada && _modes.ContainsKey(conversationId)
                    ? _snippets.Where(s => s.Value.ConversationId == conversationId).Select(s => s.Key).Order().ToList()
                    : null);
            }
        }

        public Task SaveOutputSoFarAsync(long executionId, string stdout, string stderr, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<int> NextSessionGenerationAsync(long conversationId, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                Generations[conversationId] = Generations.GetValueOrDefault(conversationId) + 1;
                return Task.FromResult(Generations[conversationId]);
            }
        }

        public Task CompleteAsync(long executionId, ExecutionResult result, CancellationToken cancellationToken = default)
        {
            lock (_gate) Completed[executionId] = result;
            return Task.CompletedTask;
        }
    }

    /// <summary>One conversation of one person's.</summary>
    private sealed class ConversationStore(string owner, long conversationId) : IConversationStore
    {
        public ConversationMode Mode { get; private set; } = ConversationMode.Session;

        private bool Owns(string userId, long id) => userId == owner && id == conversationId;

        public Task<bool> RenameAsync(string userId, long id, string title, DateTime at, CancellationToken cancellationToken = default) =>
            Task.FromResult(Owns(userId, id));

        public Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken = default) =>
            Task.FromResult(Owns(userId, id));

        public Task<ConversationMode?> SetModeAsync(string userId, long id, ConversationMode mode, DateTime at, CancellationToken cancellationToken = default)
        {
            if (!Owns(userId, id)) return Task.FromResult<ConversationMode?>(null);
            var previous = Mode;
            Mode = mode;
            return Task.FromResult<ConversationMode?>(previous);
        }

        public Task<bool> EditNoteAsync(string userId, long snippetId, string text, DateTime at, CancellationToken cancellationToken = default) =>
            Task.FromResult(false);

        public Task<bool> DeleteNoteAsync(string userId, long snippetId, DateTime at, CancellationToken cancellationToken = default) =>
            Task.FromResult(false);
    }

    /// <summary>Answers only the session state of Ada's conversation 5; nothing else is read here.</summary>
    private sealed class SessionStateQueries : IConversationQueries
    {
        public ConversationSessionState State { get; init; } = new(5, ConversationMode.Session, null);

        public Task<ConversationSessionState?> FindSessionStateAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
            Task.FromResult(userId == Ada && conversationId == State.ConversationId ? State : null);

        public Task<IReadOnlyDictionary<long, ConversationLabel>> FindLabelsAsync(IReadOnlyCollection<long> conversationIds, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ConversationView?> FindOwnedAsync(string userId, long conversationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ConversationView?> FindAnyoneAsync(long conversationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<MessageView?> FindMessageAsync(string userId, long snippetId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ConversationSummary?> FindSummaryAsync(string userId, long conversationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<PagedList<ConversationSummary>> ListAsync(string userId, int pageNumber, int pageSize, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ConversationSummary>> ListAllAsync(string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RecentConversations> ListRecentAsync(string userId, string? titleFilter, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

internal static class SessionRoutingServices
{
    /// <summary>A RunService of a scope of its own, as a page handler gets one.</summary>
    public static RunService Runs(this IServiceProvider services) => services.CreateScope().ServiceProvider.GetRequiredService<RunService>();
}
