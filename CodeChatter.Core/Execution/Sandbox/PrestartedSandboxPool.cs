using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Keeps a few sandboxes per language started and waiting for code, so a run skips bubblewrap's
/// set-up and (for Python) the interpreter's start-up. Each serves one run and is thrown away; the
/// pool refills in the background. An empty pool never makes a run wait: it starts cold instead.
/// </summary>
internal sealed class PrestartedSandboxPool : IDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly Func<string, bool, Task<SandboxProcess>> _start;
    private readonly int _perLanguage;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SandboxProcess>> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _starting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();

    /// <param name="languageIds">Languages to keep sandboxes for.</param>
    /// <param name="perLanguage">How many to keep waiting per language.</param>
    /// <param name="start">
    /// Starts one waiting sandbox for a language; the flag says the language has none waiting, so a run
    /// may need this one soon (it is then started at normal priority, see <see cref="SandboxLauncher"/>).
    /// </param>
    /// <param name="logger">Where start failures go.</param>
    public PrestartedSandboxPool(IEnumerable<string> languageIds, int perLanguage, Func<string, bool, Task<SandboxProcess>> start, ILogger logger)
    {
        _start = start;
        _perLanguage = perLanguage;
        _logger = logger;
        foreach (var id in languageIds)
        {
            _waiting[id] = new ConcurrentQueue<SandboxProcess>();
            Refill(id);
        }
    }

    /// <summary>The sandboxes waiting now.</summary>
    public IReadOnlyList<SandboxProcess> Waiting => _waiting.Values.SelectMany(queue => queue).ToArray();

    /// <summary>How many sandboxes wait now, by language id.</summary>
    public IReadOnlyDictionary<string, int> WaitingByLanguage => _waiting.ToDictionary(pair => pair.Key, pair => pair.Value.Count, StringComparer.Ordinal);

    /// <summary>Whether every language has its full count waiting and none is being started.</summary>
    public bool IsFull => _waiting.Values.All(queue => queue.Count >= _perLanguage) && _starting.Values.All(count => count == 0);

    /// <summary>Takes a waiting sandbox for <paramref name="languageId"/>, if one is ready.</summary>
    public bool TryTake(string languageId, out SandboxProcess sandbox)
    {
        sandbox = null!;
        if (!_waiting.TryGetValue(languageId, out var queue)) return false;
        try
        {
            while (queue.TryDequeue(out var candidate))
            {
                if (candidate.IsWaiting)
                {
                    sandbox = candidate;
                    return true;
                }
                candidate.Dispose();
            }
            return false;
        }
        finally
        {
            Refill(languageId);
        }
    }

    private void Refill(string languageId)
    {
        if (_disposed.IsCancellationRequested) return;
        var queue = _waiting[languageId];
        // Counting the ones being started too keeps two refills from overshooting.
        while (queue.Count + _starting.GetValueOrDefault(languageId) < _perLanguage)
        {
            _starting.AddOrUpdate(languageId, 1, (_, count) => count + 1);
            _ = StartOneAsync(languageId, queue, urgent: queue.IsEmpty);
        }
    }

    private async Task StartOneAsync(string languageId, ConcurrentQueue<SandboxProcess> queue, bool urgent)
    {
        var failed = false;
        try
        {
            var sandbox = await _start(languageId, urgent);
            if (_disposed.IsCancellationRequested) sandbox.Dispose();
            else queue.Enqueue(sandbox);
        }
        catch (Exception exception)
        {
            failed = true;
            _logger.LogWarning(exception, "Could not pre-start a {Language} sandbox; runs start cold meanwhile", languageId);
        }
        finally
        {
            _starting.AddOrUpdate(languageId, 0, (_, count) => count - 1);
        }
        if (failed)
        {
            try
            {
                await Task.Delay(RetryAfterFailure, _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        Refill(languageId);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        foreach (var queue in _waiting.Values)
        {
            while (queue.TryDequeue(out var sandbox)) sandbox.Dispose();
        }
    }
}
