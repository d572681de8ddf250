using CodeChatter.Core.Execution;

namespace CodeChatter.Cluster;

/// <summary>
/// A web instance's executor in a cluster: a stored run goes on the shared Redis run queue, whichever runner takes
/// it executes and stores it, and its output comes back as it is printed (<see cref="QueuedRunRelay"/>).
/// Runs that are not stored (<c>exec</c>, the doctor's probes) run here, in <paramref name="local"/>.
/// </summary>
public sealed class RedisCodeExecutor(QueuedRunRelay relay, SandboxedExecutor local) : ICodeExecutor
{
    /// <inheritdoc />
    public SandboxLevel Level => local.Level;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, Action<Core.Execution.OutputChunk>? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ExecutionId is not { } executionId) return await local.ExecuteAsync(request, output, cancellationToken);
        var ticket = new RunTicket(executionId, request.OwnerId ?? "", RemoteRun.Payload(request));
        // The shared stream always takes a ticket: only a runner's own stream refuses one.
        return await relay.RunAsync(ticket, runnerId: null, request.Input, output, cancellationToken)
            ?? throw new InvalidOperationException("the shared run stream refused a run");
    }
}
