namespace CodeChatter.Core.Chat;

/// <summary>
/// Decides whether a run may start now (quotas, the machine-wide queue). The run's row is already
/// stored when this is asked, so a refusal is recorded as a <c>rejected</c> run.
/// </summary>
public interface IRunAdmission
{
    /// <summary>Waits for room for one run of <paramref name="userId"/>, or refuses it.</summary>
    ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="IRunAdmission"/>; disposing it frees the room it held.</summary>
public sealed class Admission : IDisposable
{
    private readonly IDisposable? _release;

    private Admission(string? refusal, TimeSpan? retryAfter, IDisposable? release)
    {
        Refusal = refusal;
        RetryAfter = retryAfter;
        _release = release;
    }

    /// <summary>Why the run was refused, or null when it may start.</summary>
    public string? Refusal { get; }

    /// <summary>
    /// For a refusal that passes with time (a daily quota, a full queue): how long until a new attempt
    /// may succeed. Null when admitted, or when waiting will not help (a disabled account).
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the run may start.</summary>
    public bool IsAdmitted => Refusal is null;

    /// <summary>The run may start; <paramref name="release"/> is disposed when it ends.</summary>
    public static Admission Granted(IDisposable? release = null) => new(null, null, release);

    /// <summary>The run may not start, for the given reason (shown to the person).</summary>
    /// <param name="reason">Why, in words for the person.</param>
    /// <param name="retryAfter">When trying again may succeed; null when waiting will not help.</param>
    public static Admission Refused(string reason, TimeSpan? retryAfter = null) => new(reason, retryAfter, null);

    /// <inheritdoc />
    public void Dispose() => _release?.Dispose();
}

/// <summary>Admits every run. The executor still bounds concurrency with its own slots.</summary>
public sealed class AdmitEveryRun : IRunAdmission
{
    /// <inheritdoc />
    public ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Admission.Granted());
}
