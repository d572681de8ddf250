using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Chat;

public class RunServiceTests
{
    [Fact]
    public async Task A_run_completes_and_is_stored_even_when_the_caller_gives_up_after_it_started()
    {
        using var caller = new CancellationTokenSource();
        var executor = new WaitingExecutor();
        var (service, store, _) = Create(executor);

        var submit = service.SubmitAsync(Message(), caller.Token);
        await executor.Started.Task;
        await caller.CancelAsync();
        executor.Finish(new ExecutionResult { Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "done\n" });
        var outcome = await submit;

        Assert.Equal(RunStatus.Succeeded, outcome!.Result!.Status);
        Assert.False(executor.TokenWasCancelled);
        Assert.Equal("done\n", store.Completed[outcome.Stored.ExecutionId!.Value].Stdout);
    }

    [Fact]
    public async Task A_run_stopped_by_the_server_shutting_down_is_stored_as_interrupted_with_its_output()
    {
        var executor = new WaitingExecutor();
        var (service, store, lifetime) = Create(executor);

        var submit = service.SubmitAsync(Message());
        await executor.Started.Task;
        lifetime.Stop();
        var outcome = await submit;

        var stored = store.Completed[outcome!.Stored.ExecutionId!.Value];
        Assert.Equal(RunStatus.InternalError, stored.Status);
        Assert.Equal("interrupted", stored.Detail);
        Assert.Equal("partial\n", stored.Stdout);
    }

    [Fact]
    public async Task A_refused_admission_is_stored_as_a_rejected_run_and_nothing_is_executed()
    {
        var executor = new WaitingExecutor();
        var (service, store, _) = Create(executor, new RefuseEverything());

        var outcome = await service.SubmitAsync(Message());

        Assert.Equal(RunStatus.Rejected, outcome!.Result!.Status);
        Assert.Equal("quota reached", store.Completed[outcome.Stored.ExecutionId!.Value].Detail);
        Assert.False(executor.Started.Task.IsCompleted);
    }

    [Fact]
    public void Invalid_messages_are_described_by_field()
    {
        var (service, _, _) = Create(new WaitingExecutor());

        var problems = service.Validate(SnippetKind.Code, "cobol", "", new string('x', 70_000));

        Assert.Equal(["Language", "Stdin", "Text"], problems.Keys.Order());
    }

    [Fact]
    public async Task A_started_run_returns_at_once_and_its_watchers_see_exactly_what_is_stored()
    {
        var executor = new WaitingExecutor();
        var (service, store, _, live) = CreateWithLiveRuns(executor);

        var started = await service.StartAsync(Message());
        await executor.Started.Task;
        var executionId = started!.Stored.ExecutionId!.Value;
        executor.Print(new OutputChunk(OutputStream.Stdout, "one\n"));
        using var watch = live.Find(executionId, "user-1")!.Watch();
        executor.Print(new OutputChunk(OutputStream.Stderr, "warn\n"));
        executor.Print(new OutputChunk(OutputStream.Stdout, "two\n"));
        executor.Finish(new ExecutionResult { Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "one\ntwo\n", Stderr = "warn\n" });
        var result = await started.Completion!;

        var events = new List<LiveRunEvent>();
        await foreach (var item in watch.Events.ReadAllAsync()) events.Add(item);
        var chunks = events.OfType<LiveChunk>().ToList();
        Assert.Equal([1L, 2, 3], chunks.Select(c => c.Sequence));
        Assert.Equal(store.Completed[executionId].Stdout, string.Concat(chunks.Where(c => c.Stream == OutputStream.Stdout).Select(c => c.Text)));
        Assert.Equal(store.Completed[executionId].Stderr, string.Concat(chunks.Where(c => c.Stream == OutputStream.Stderr).Select(c => c.Text)));
        Assert.Equal(RunStatus.Succeeded, Assert.IsType<LiveEnd>(events[^1]).Result.Status);
        Assert.Equal(RunStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task A_watcher_that_reconnects_gets_only_the_output_after_the_last_one_it_saw()
    {
        var executor = new WaitingExecutor();
        var (service, _, _, live) = CreateWithLiveRuns(executor);
        var started = await service.StartAsync(Message());
        await executor.Started.Task;
        executor.Print(new OutputChunk(OutputStream.Stdout, "a"));
        executor.Print(new OutputChunk(OutputStream.Stdout, "b"));
        executor.Print(new OutputChunk(OutputStream.Stdout, "c"));
        executor.Finish(new ExecutionResult { Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "abc" });
        await started!.Completion!;

        using var watch = live.Find(started.Stored.ExecutionId!.Value, "user-1")!.Watch(afterSequence: 2);
        var events = new List<LiveRunEvent>();
        await foreach (var item in watch.Events.ReadAllAsync()) events.Add(item);

        Assert.True(watch.Resumed);
        Assert.Equal("c", Assert.IsType<LiveChunk>(events[0]).Text);
        Assert.IsType<LiveEnd>(events[1]);
        Assert.Null(live.Find(started.Stored.ExecutionId!.Value, "someone-else"));
    }

    [Fact]
    public async Task A_person_who_stops_their_run_gets_it_stored_as_killed()
    {
        var executor = new WaitingExecutor();
        var (service, store, _, live) = CreateWithLiveRuns(executor);
        var started = await service.StartAsync(Message());
        await executor.Started.Task;

        Assert.True(live.Find(started!.Stored.ExecutionId!.Value, "user-1")!.Stop());
        var result = await started.Completion!;

        Assert.Equal(RunStatus.Killed, result.Status);
        Assert.Equal(RunStatus.Killed, store.Completed[started.Stored.ExecutionId!.Value].Status);
        Assert.Equal("partial\n", store.Completed[started.Stored.ExecutionId!.Value].Stdout);
    }

    [Fact]
    public async Task A_started_run_cut_off_by_the_server_stopping_is_stored_as_interrupted()
    {
        var executor = new WaitingExecutor();
        var (service, store, lifetime, _) = CreateWithLiveRuns(executor);
        var started = await service.StartAsync(Message());
        await executor.Started.Task;

        lifetime.Stop();
        var result = await started!.Completion!;

        Assert.Equal(RunStatus.InternalError, result.Status);
        Assert.Equal("interrupted", store.Completed[started.Stored.ExecutionId!.Value].Detail);
    }

    [Fact]
    public async Task A_run_still_waiting_for_room_when_the_server_stops_is_answered_and_stored_as_interrupted()
    {
        var executor = new WaitingExecutor();
        var (service, store, lifetime) = Create(executor, new WaitUntilCancelled());

        var submit = service.SubmitAsync(Message());
        lifetime.Stop();
        var outcome = await submit;

        Assert.Equal(RunStatus.InternalError, outcome!.Result!.Status);
        Assert.Equal("interrupted", outcome.Result.Detail);
        Assert.Equal("interrupted", store.Completed[outcome.Stored.ExecutionId!.Value].Detail);
        Assert.False(executor.Started.Task.IsCompleted);
    }

    [Fact]
    public async Task A_run_gets_its_conversations_attachments_as_input_files()
    {
        var attachments = new MemoryAttachmentStore().Owning("user-1", 1);
        await attachments.PutAsync("user-1", 1, "data.csv", "a,b\n1,2\n"u8.ToArray());
        await attachments.PutAsync("user-1", 1, "config.json", "{}"u8.ToArray());
        var executor = new RecordingExecutor();
        var (service, _, _) = Create(executor, attachments: attachments);

        await service.SubmitAsync(Message() with { ConversationId = 1 });

        var inputs = executor.Requests.Single().Inputs;
        Assert.Equal(["config.json", "data.csv"], inputs.Select(i => i.Name));
        Assert.Equal("a,b\n1,2\n"u8.ToArray(), inputs[1].Content);
        Assert.Equal(OutputFingerprint.HashOf("a,b\n1,2\n"u8.ToArray()), inputs[1].Sha256);
    }

    [Fact]
    public async Task A_run_of_a_conversation_without_attachments_gets_no_input_files_and_a_note_looks_for_none()
    {
        var attachments = new MemoryAttachmentStore().Owning("user-1", 1);
        var executor = new RecordingExecutor();
        var (service, _, _) = Create(executor, attachments: attachments);

        await service.SubmitAsync(Message() with { ConversationId = 1 });
        await service.SubmitAsync(new NewMessage("user-1", 1, SnippetKind.Note, "markdown", "a note", "", ExecutionTrigger.Submit));

        Assert.Empty(executor.Requests.Single().Inputs);
        Assert.Equal([1L], attachments.LoadedConversations);
    }

    [Fact]
    public async Task A_run_whose_attachments_cannot_be_read_is_not_executed_and_is_stored_as_an_internal_error()
    {
        var attachments = new MemoryAttachmentStore { LoadFailure = new IOException("disk I/O error") };
        var executor = new RecordingExecutor();
        var (service, store, _) = Create(executor, attachments: attachments);

        var outcome = await service.SubmitAsync(Message() with { ConversationId = 1 });

        var stored = store.Completed[outcome!.Stored.ExecutionId!.Value];
        Assert.Equal((RunStatus.InternalError, RunService.AttachmentsUnreadableDetail), (stored.Status, stored.Detail));
        Assert.Empty(executor.Requests);
    }

    [Fact]
    public async Task A_reply_past_the_storage_quota_is_stored_with_its_text_and_without_the_items_that_do_not_fit()
    {
        var attachments = new MemoryAttachmentStore();
        attachments.StoredOutputBytes["user-1"] = new QuotaOptions().StorageBytes - 8;
        var executor = new RecordingExecutor
        {
            Result = new ExecutionResult
            {
                Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "saved\n", Stderr = "warning\n",
                Outputs = [new RichOutput(RichMediaTypes.PlainText, [1, 2, 3, 4, 5], 0), new RichOutput(RichMediaTypes.Png, new byte[4], 0), new RichOutput(RichMediaTypes.File, [1], 6) { FileName = "a" }],
                OutputsOmitted = "1 more figure was left out.",
            },
        };
        var (service, store, _) = Create(executor, attachments: attachments);

        var outcome = await service.SubmitAsync(Message());

        var stored = store.Completed[outcome!.Stored.ExecutionId!.Value];
        Assert.Equal([RichMediaTypes.PlainText], stored.Outputs.Select(o => o.MediaType));
        Assert.Equal(("saved\n", "warning\n"), (stored.Stdout, stored.Stderr));
        Assert.Equal("1 more figure was left out.; 2 items left out: your storage quota of 100 MiB is used", stored.OutputsOmitted);
        Assert.Equal(stored, outcome.Result);
    }

    private static NewMessage Message() =>
        new("user-1", null, SnippetKind.Code, "python", "print('hi')", "", ExecutionTrigger.Submit);

    private static (RunService, MemoryRunStore, StoppableLifetime) Create(
        ICodeExecutor executor, IRunAdmission? admission = null, MemoryAttachmentStore? attachments = null)
    {
        var (service, store, lifetime, _) = CreateWithLiveRuns(executor, admission, attachments);
        return (service, store, lifetime);
    }

    private static (RunService, MemoryRunStore, StoppableLifetime, LiveRuns) CreateWithLiveRuns(
        ICodeExecutor executor, IRunAdmission? admission = null, MemoryAttachmentStore? attachments = null)
    {
        var options = Options.Create(new ExecutionOptions
        {
            Languages = { ["python"] = new LanguageDefinition { FileName = "main.py", Run = ["/usr/bin/python3", "main.py"] } },
        });
        var store = new MemoryRunStore();
        var lifetime = new StoppableLifetime();
        var services = new ServiceCollection()
            .AddSingleton<IRunStore>(store)
            .AddSingleton(executor)
            .AddSingleton(admission ?? new AdmitEveryRun())
            .AddSingleton(options)
            .AddSingleton<LanguageCatalog>()
            .AddSingleton<IHostApplicationLifetime>(lifetime)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddAttachments(attachments ?? new MemoryAttachmentStore())
            .AddCodeChatterChat()
            .BuildServiceProvider();
        return (services.CreateScope().ServiceProvider.GetRequiredService<RunService>(), store, lifetime, services.GetRequiredService<LiveRuns>());
    }

    /// <summary>A full machine: every run waits for a slot until it is cancelled.</summary>
    private sealed class WaitUntilCancelled : IRunAdmission
    {
        public async ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class RefuseEverything : IRunAdmission
    {
        public ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Admission.Refused("quota reached"));
    }

    /// <summary>An executor that runs until told to finish, or reports "killed" with its output when cancelled.</summary>
    private sealed class WaitingExecutor : ICodeExecutor
    {
        private readonly TaskCompletionSource<ExecutionResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TokenWasCancelled { get; private set; }

        public SandboxLevel Level => SandboxLevel.Bubblewrap;

        private Action<OutputChunk>? _output;

        public void Finish(ExecutionResult result) => _result.TrySetResult(result);

        public void Print(OutputChunk chunk) => _output!(chunk);

        public async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
        {
            await using var registration = cancellationToken.Register(() =>
            {
                TokenWasCancelled = true;
                _result.TrySetResult(new ExecutionResult { Status = RunStatus.Killed, Signal = 9, Stdout = "partial\n", Detail = "stopped" });
            });
            _output = output;
            Started.TrySetResult();
            return await _result.Task;
        }
    }

    /// <summary>An executor that answers at once with <see cref="Result"/> and keeps every request it was given.</summary>
    private sealed class RecordingExecutor : ICodeExecutor
    {
        public List<ExecutionRequest> Requests { get; } = [];

        public ExecutionResult Result { get; init; } = new() { Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "hi\n" };

        public SandboxLevel Level => SandboxLevel.Bubblewrap;

        public Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, Action<OutputChunk>? output = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(Result);
        }
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Stop() => _stopping.Cancel();
    }

    private sealed class MemoryRunStore : IRunStore
    {
        private long _nextId;

        public Dictionary<long, ExecutionResult> Completed { get; } = [];

        public Task<StoredMessage?> AddMessageAsync(NewMessage message, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<StoredMessage?>(new StoredMessage(1, ++_nextId, message.Kind == SnippetKind.Code ? ++_nextId : null));
        }

        public Task<StartedRun?> StartRerunAsync(string userId, long snippetId, ExecutionTrigger trigger, CancellationToken cancellationToken = default) =>
            Task.FromResult<StartedRun?>(null);

        public Task<IReadOnlyList<long>?> GetCodeSnippetIdsAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<long>?>(null);

        public Task SaveOutputSoFarAsync(long executionId, string stdout, string stderr, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<int> NextSessionGenerationAsync(long conversationId, CancellationToken cancellationToken = default) =>
            Task.FromResult(1);

        public Task CompleteAsync(long executionId, ExecutionResult result, CancellationToken cancellationToken = default)
        {
            Completed[executionId] = result;
            return Task.CompletedTask;
        }
    }
}
