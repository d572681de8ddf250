using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using CodeChatter.Web.Pages.Shared;

namespace CodeChatter.Tests.Web.Pages.Shared;

public class RunWordingTests
{
    private static readonly ExecutionOptions Defaults = new();

    private static RunView Run(RunStatus status, string? detail = null, int? signal = null, long? cpuMs = 10, string stdout = "") => new(
        1, 2, 3, "python", status, null, signal, stdout, "", false, false, 10_004, cpuMs, null, SandboxLevel.Bubblewrap,
        DateTime.UnixEpoch, DateTime.UnixEpoch, ExecutionTrigger.Submit, detail);

    [Theory]
    [InlineData(RunStatus.TimedOut, "Timed out")]
    [InlineData(RunStatus.OutputLimit, "Output limit")]
    [InlineData(RunStatus.InternalError, "Internal error")]
    public void A_status_reads_in_words(RunStatus status, string label) => Assert.Equal(label, RunWording.Label(status));

    [Fact]
    public void A_run_in_flight_reads_as_running() => Assert.Equal("Running", RunWording.Label(null));

    [Fact]
    public void A_wall_clock_timeout_names_the_limit_in_seconds() =>
        Assert.Equal("Stopped after 10 s (the wall-clock limit)",
            RunWording.Detail(Run(RunStatus.TimedOut, "stopped after the wall-clock limit of 10000 ms"), Defaults));

    [Fact]
    public void A_CPU_timeout_says_it_was_CPU_time() =>
        Assert.Equal("Stopped after 5 s of CPU time (the CPU-time limit)", RunWording.Detail(Run(RunStatus.TimedOut, cpuMs: 5_010), Defaults));

    [Fact]
    public void Memory_and_output_limits_read_in_MiB()
    {
        Assert.Equal("Used more than 256 MiB of memory (the memory limit)", RunWording.Detail(Run(RunStatus.MemoryLimit), Defaults));
        Assert.Equal("Printed more than 1 MiB on one stream (the output limit)", RunWording.Detail(Run(RunStatus.OutputLimit), Defaults));
    }

    [Fact]
    public void A_signal_reads_with_its_name()
    {
        Assert.Equal("Killed by signal 9 (SIGKILL)", RunWording.Detail(Run(RunStatus.Killed, signal: 9), Defaults));
        Assert.Equal("11 (SIGSEGV)", RunWording.Signal(11));
        Assert.Equal("99", RunWording.Signal(99));
    }

    [Fact]
    public void A_run_stopped_by_its_owner_says_so() =>
        Assert.Equal("Stopped on request", RunWording.Detail(Run(RunStatus.Killed, "stopped", signal: 9), Defaults));

    [Fact]
    public void Internal_errors_keep_their_stored_reason_and_successes_need_none()
    {
        Assert.Equal("interrupted", RunWording.Detail(Run(RunStatus.InternalError, RunService.InterruptedDetail), Defaults));
        Assert.Null(RunWording.Detail(Run(RunStatus.Succeeded), Defaults));
    }

    [Fact]
    public void A_view_cut_at_a_byte_count_never_splits_a_character_and_says_more_is_stored()
    {
        var run = Run(RunStatus.Succeeded, stdout: "ab€€");

        var shown = run.ShownUpTo(4);

        Assert.Equal("ab", shown.Stdout);
        Assert.True(shown.StdoutMoreStored);
        Assert.False(shown.StderrMoreStored);
        Assert.Same(run, run.ShownUpTo(8));
    }

    [Fact]
    public void Stored_output_below_the_shown_output_is_refused_at_start_up()
    {
        var options = new ExecutionOptions { MaxOutputBytesPerStream = 64 * 1024, StoredOutputBytes = 32 * 1024 };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(ExecutionOptions.StoredOutputBytes)));
    }

    private static RunView InSession(RunStatus status, SessionEvent happened, ExecutionTrigger trigger = ExecutionTrigger.Submit) =>
        Run(status) with { Trigger = trigger, SessionGeneration = 2, ExecutionCounter = 4, SessionEvent = happened };

    [Theory]
    [InlineData(RunStatus.Succeeded, SessionEvent.Started, "Started a new session: nothing from earlier messages was there.")]
    [InlineData(RunStatus.Killed, SessionEvent.Continued, "Interrupted; the session kept its state.")]
    [InlineData(RunStatus.TimedOut, SessionEvent.Continued, "Interrupted; the session kept its state.")]
    [InlineData(RunStatus.TimedOut, SessionEvent.KilledStateLost, "The session was restarted and its state lost.")]
    [InlineData(RunStatus.MemoryLimit, SessionEvent.EndedByMemory, "The session ended: memory limit.")]
    [InlineData(RunStatus.Succeeded, SessionEvent.EndedByExit, "The session ended: the program exited.")]
    public void What_a_run_did_to_its_session_reads_in_words(RunStatus status, SessionEvent happened, string words) =>
        Assert.Equal(words, RunWording.SessionEvent(InSession(status, happened)));

    [Fact]
    public void A_single_rerun_in_the_live_session_says_so_with_its_counter() =>
        Assert.Equal("Ran again in the live session as [4].", RunWording.SessionEvent(InSession(RunStatus.Succeeded, SessionEvent.Continued, ExecutionTrigger.Rerun)));

    [Fact]
    public void A_message_that_simply_continued_its_session_or_ran_fresh_says_nothing_more()
    {
        Assert.Null(RunWording.SessionEvent(InSession(RunStatus.Failed, SessionEvent.Continued)));
        Assert.Null(RunWording.SessionEvent(Run(RunStatus.Killed)));
    }

    [Fact]
    public void Idle_time_and_memory_now_read_in_round_units()
    {
        Assert.Equal("idle 42 s", RunWording.Idle(TimeSpan.FromSeconds(42.7)));
        Assert.Equal("idle 3 min", RunWording.Idle(TimeSpan.FromMinutes(3.5)));
        Assert.Equal("idle 1 h 5 min", RunWording.Idle(TimeSpan.FromMinutes(65)));
        Assert.Equal("12.5 MiB", RunWording.MemoryNow(12 * 1024 * 1024 + 512 * 1024));
        Assert.Equal("unknown", RunWording.MemoryNow(null));
    }
}
