using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Cluster;

/// <summary>What a web instance does with a queued run when another instance starts, and when Redis restarts.</summary>
public sealed class ClusterRedisRestartTests : IAsyncLifetime
{
    private readonly TempRedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task A_queued_run_survives_another_web_instance_starting_and_ends_as_interrupted_soon_after_Redis_restarts()
    {
        // No runner: the run waits in the queue.
        await using var web = new ClusterWebFactory(_redis.Configuration);
        using var person = await ChatClient.RegisterAsync(web);
        var userId = (await person.GetUserAsync()).Id;
        var started = await person.WithServicesAsync(services => services.GetRequiredService<RunService>().StartAsync(
            new NewMessage(userId, null, SnippetKind.Code, "python", "print('never')", "", ExecutionTrigger.Submit) { Mode = ConversationMode.Fresh }));
        var executionId = started!.Stored.ExecutionId!.Value;

        // Another web instance starting on the same database leaves the run alone: it is not that instance's to close.
        await using var other = new ClusterWebFactory(_redis.Configuration, web.DataDirectory);
        _ = other.ServerAddress;
        await Task.Delay(500);
        Assert.False(started.Completion!.IsCompleted);
        Assert.Null(await StatusAsync(other, userId, executionId));

        await _redis.RestartAsync();
        var result = await started.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(RunStatus.InternalError, result.Status);
        Assert.Equal(RunService.InterruptedDetail, result.Detail);
        Assert.Equal(RunStatus.InternalError, await StatusAsync(web, userId, executionId));
    }

    // Null while the run is in flight.
    private static async Task<RunStatus?> StatusAsync(ChatAppFactory web, string userId, long executionId)
    {
        await using var scope = web.Services.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<CodeChatter.Core.Chat.Reading.IRunQueries>().FindAsync(userId, executionId);
        return run!.Status;
    }
}
