using System.Collections.Concurrent;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Scheduling;

public class FairRunQueueTests
{
    private static FairRunQueue Queue(int slots, int capacity, int perUser) => new(Options.Create(new ExecutionOptions
    {
        MaxConcurrentRuns = slots, QueueCapacity = capacity, MaxConcurrentRunsPerUser = perUser, WallTimeLimitMs = 3000,
    }));

    [Fact]
    public async Task Runs_up_to_the_slot_count_start_at_once_and_the_next_one_waits()
    {
        var queue = Queue(slots: 2, capacity: 10, perUser: 10);

        using var first = await queue.EnterAsync("ann");
        using var second = await queue.EnterAsync("bob");
        var third = queue.EnterAsync("cat");

        Assert.False(third.IsCompleted);
        Assert.Equal(2, queue.RunningCount);
        Assert.Equal(1, queue.QueuedCount);
        second.Dispose();
        using var granted = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, queue.QueuedCount);
        Assert.Equal(2, queue.RunningCount);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_a_retry_after()
    {
        var queue = Queue(slots: 1, capacity: 1, perUser: 10);
        using var running = await queue.EnterAsync("ann");
        var waiting = queue.EnterAsync("bob");

        var refusal = await Assert.ThrowsAsync<RunRefusedException>(() => queue.EnterAsync("cat"));

        Assert.Contains("queue is full", refusal.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), refusal.RetryAfter);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task One_person_cannot_hold_more_than_their_concurrency_limit()
    {
        var queue = Queue(slots: 4, capacity: 10, perUser: 2);
        using var first = await queue.EnterAsync("ann");
        using var second = await queue.EnterAsync("ann");

        var refusal = await Assert.ThrowsAsync<RunRefusedException>(() => queue.EnterAsync("ann"));
        using var other = await queue.EnterAsync("bob");

        Assert.Contains("limit is 2", refusal.Message);
        second.Dispose();
        using var again = await queue.EnterAsync("ann");
    }

    [Fact]
    public async Task One_persons_fifty_queued_runs_delay_another_persons_run_by_at_most_one_slot()
    {
        var queue = Queue(slots: 1, capacity: 100, perUser: 100);
        var served = new ConcurrentQueue<string>();
        var running = await queue.EnterAsync("ann");
        var runs = Enumerable.Range(0, 50).Select(_ => RunAsync(queue, "ann", served)).ToList();
        runs.Add(RunAsync(queue, "bob", served));

        running.Dispose();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));

        var order = served.ToList();
        Assert.Equal(51, order.Count);
        Assert.True(order.IndexOf("bob") <= 1, $"bob was served at position {order.IndexOf("bob")}");
        Assert.Equal(0, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);
    }

    [Fact]
    public async Task A_run_cancelled_while_waiting_leaves_the_queue_without_taking_a_slot()
    {
        var queue = Queue(slots: 1, capacity: 10, perUser: 10);
        var running = await queue.EnterAsync("ann");
        using var cancel = new CancellationTokenSource();
        var abandoned = queue.EnterAsync("bob", cancel.Token);
        var next = queue.EnterAsync("cat");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        running.Dispose();

        using var granted = await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);
    }

    private static async Task RunAsync(FairRunQueue queue, string who, ConcurrentQueue<string> served)
    {
        using var slot = await queue.EnterAsync(who);
        served.Enqueue(who);
        await Task.Delay(1);
    }
}
