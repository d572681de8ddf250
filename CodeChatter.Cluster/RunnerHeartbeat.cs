using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeChatter.Cluster;

/// <summary>
/// Keeps one runner's lease alive by renewing it every <see cref="RunnerLeaseOptions.RenewalInterval"/>
/// until stopped. Stopping does not hand the lease back: it lapses after
/// <see cref="RunnerLeaseOptions.LeaseTime"/>, exactly as if the runner had been killed, so one path
/// ends a stopped runner's leftover runs and a dead runner's.
/// </summary>
public sealed class RunnerHeartbeat(RunnerLeases leases, string runnerId, ILogger<RunnerHeartbeat>? logger = null) : IAsyncDisposable
{
    private readonly string _runnerId = ClusterKeys.CheckRunnerId(runnerId, nameof(runnerId));
    private readonly ILogger _logger = logger ?? NullLogger<RunnerHeartbeat>.Instance;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _beating;

    /// <summary>
    /// Takes the lease now (so the runner is alive once this returns, and fails loudly if Redis is out
    /// of reach at start-up), then keeps renewing it in the background.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_beating is not null) throw new InvalidOperationException("The heartbeat has already been started.");
        await leases.RenewAsync(_runnerId, cancellationToken);
        _beating = BeatAsync(_stopping.Token);
    }

    /// <summary>Stops renewing; the lease then lapses on its own.</summary>
    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync();
        if (_beating is not null) await _beating;
    }

    /// <inheritdoc cref="StopAsync"/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task BeatAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(leases.Options.RenewalInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await leases.RenewAsync(_runnerId, stopping);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Redis restarting or out of reach: the next tick tries again, and the lease time
                    // leaves room for a couple of missed renewals.
                    _logger.LogWarning(exception, "Runner {RunnerId} could not renew its lease", _runnerId);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
