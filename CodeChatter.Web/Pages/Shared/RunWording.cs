using System.Collections.Frozen;
using System.Globalization;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>
/// How a run reads for people: its status in words and why it stopped, made from the run's status and numbers
/// and the configured limits. The stored <see cref="RunView.Detail"/> and the wire names stay as they are for
/// the API, the command line and the <c>data-status</c> attributes.
/// </summary>
public static class RunWording
{
    private static readonly FrozenDictionary<RunStatus, string> Labels = new Dictionary<RunStatus, string>
    {
        [RunStatus.Succeeded] = "Succeeded",
        [RunStatus.Failed] = "Failed",
        [RunStatus.TimedOut] = "Timed out",
        [RunStatus.MemoryLimit] = "Memory limit",
        [RunStatus.OutputLimit] = "Output limit",
        [RunStatus.Killed] = "Killed",
        [RunStatus.Rejected] = "Rejected",
        [RunStatus.InternalError] = "Internal error",
    }.ToFrozenDictionary();

    // Linux's numbers (signal(7)); the sandbox only runs on Linux.
    private static readonly string[] SignalNames =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>A status in words ("Timed out"), or "Running" for a run in flight.</summary>
    public static string Label(RunStatus? status) => status is { } finished ? Labels[finished] : "Running";

    /// <summary>A signal with its name: "9 (SIGKILL)".</summary>
    public static string Signal(int signal) =>
        signal > 0 && signal < SignalNames.Length
            ? $"{signal.ToString(CultureInfo.InvariantCulture)} ({SignalNames[signal]})"
            : signal.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Why a finished run ended, in a sentence ("Stopped after 10 s (the wall-clock limit)"), or null when its
    /// status says it all. Rejected and internal errors keep the reason stored with them.
    /// </summary>
    public static string? Detail(RunView run, ExecutionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(limits);
        return run.Status switch
        {
            RunStatus.TimedOut when run.CpuTimeMs >= limits.CpuTimeLimitMs || run.Detail?.Contains("CPU", StringComparison.Ordinal) == true =>
                $"Stopped after {Format.Seconds(limits.CpuTimeLimitMs)} of CPU time (the CPU-time limit)",
            RunStatus.TimedOut => $"Stopped after {Format.Seconds(limits.WallTimeLimitMs)} (the wall-clock limit)",
            RunStatus.MemoryLimit => $"Used more than {Format.Bytes(limits.MemoryLimitBytes)} of memory (the memory limit)",
            RunStatus.OutputLimit => $"Printed more than {Format.Bytes(limits.StoredOutputBytes)} on one stream (the output limit)",
            RunStatus.Killed when run.Detail == RunService.StoppedBeforeStartDetail => "Stopped before it started",
            RunStatus.Killed when run.Detail == "stopped" => "Stopped on request",
            RunStatus.Killed when run.Signal is { } signal => $"Killed by signal {Signal(signal)}",
            RunStatus.Failed or RunStatus.Succeeded => null,
            _ => string.IsNullOrEmpty(run.Detail) ? null : run.Detail,
        };
    }

    /// <summary>
    /// What a run did to its conversation's session, in words ("Started a new session"), or null when it ran
    /// fresh or simply continued the session it found.
    /// </summary>
    public static string? SessionEvent(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.SessionEvent switch
        {
            null => null,
            Core.Execution.Sessions.SessionEvent.Started => "Started a new session: nothing from earlier messages was there.",
            Core.Execution.Sessions.SessionEvent.KilledStateLost => "The session was restarted and its state lost.",
            Core.Execution.Sessions.SessionEvent.EndedByMemory => "The session ended: memory limit.",
            Core.Execution.Sessions.SessionEvent.EndedByExit => "The session ended: the program exited.",
            _ when run.Status is RunStatus.Killed or RunStatus.TimedOut => "Interrupted; the session kept its state.",
            _ when run.ReranInLiveSession && run.ExecutionCounter is { } counter =>
                $"Ran again in the live session as [{counter.ToString(CultureInfo.InvariantCulture)}].",
            _ => null,
        };
    }

    /// <summary>The tooltip of a session reply's <c>[n]</c> and "session g": what the two numbers mean.</summary>
    public static string SessionPlace(int counter, int generation) =>
        $"Message {counter.ToString(CultureInfo.InvariantCulture)} run in session {generation.ToString(CultureInfo.InvariantCulture)} " +
        "of this conversation: a restart starts the next session, from nothing.";

    /// <summary>A conversation's mode in words, as the session panel and the New page name it.</summary>
    public static string Mode(ConversationMode mode) => mode switch
    {
        ConversationMode.Session => "Keep state between messages (session)",
        _ => "Fresh sandbox for every message",
    };

    /// <summary>How long a session has waited: "idle 12 s", "idle 3 min", "idle 1 h 5 min".</summary>
    public static string Idle(TimeSpan idle)
    {
        if (idle < TimeSpan.FromMinutes(1)) return $"idle {((int)idle.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
        if (idle < TimeSpan.FromHours(1)) return $"idle {((int)idle.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";
        return $"idle {((int)idle.TotalHours).ToString(CultureInfo.InvariantCulture)} h {idle.Minutes.ToString(CultureInfo.InvariantCulture)} min";
    }

    /// <summary>Memory in MiB with one decimal ("12.3 MiB"), or "unknown" where the machine cannot account for it.</summary>
    public static string MemoryNow(long? bytes) =>
        bytes is { } known ? (known / (1024d * 1024d)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "unknown";
}
