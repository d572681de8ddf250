using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Chat.Reading;

public class WireJsonTests
{
    private static readonly JsonSerializerOptions Json = WireJson.CreateOptions();

    [Fact]
    public void Every_status_goes_out_in_json_by_the_name_the_database_keeps()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            Assert.Equal($"\"{status.ToWireName()}\"", JsonSerializer.Serialize(status, Json));
        }
    }

    [Fact]
    public void A_run_in_flight_reads_running_and_a_finished_one_its_status()
    {
        var run = new RunView(1, 2, 3, "python", null, null, null, "", "", false, false, 0, null, null,
            SandboxLevel.Bubblewrap, DateTime.UnixEpoch, null, ExecutionTrigger.ConversationRerun, null);

        using var running = JsonDocument.Parse(JsonSerializer.Serialize(run, Json));
        using var finished = JsonDocument.Parse(JsonSerializer.Serialize(run with { Status = RunStatus.TimedOut }, Json));

        Assert.Equal("running", running.RootElement.GetProperty("status").GetString());
        Assert.Equal("conversation_rerun", running.RootElement.GetProperty("trigger").GetString());
        Assert.Equal("bubblewrap", running.RootElement.GetProperty("sandboxLevel").GetString());
        Assert.False(running.RootElement.TryGetProperty("changed", out _));
        Assert.Equal("timed_out", finished.RootElement.GetProperty("status").GetString());
        Assert.Null(JsonSerializer.Deserialize<RunView>(running.RootElement.GetRawText(), Json)!.Status);
    }

    [Fact]
    public void Every_session_event_and_mode_goes_out_in_json_by_the_name_the_database_keeps()
    {
        foreach (var value in Enum.GetValues<SessionEvent>())
        {
            Assert.Equal($"\"{SessionEventNames.ToWire(value)}\"", JsonSerializer.Serialize(value, Json));
            Assert.True(SessionEventNames.TryParse(SessionEventNames.ToWire(value), out var back) && back == value);
        }
        foreach (var mode in Enum.GetValues<ConversationMode>())
        {
            Assert.Equal($"\"{mode.ToWire()}\"", JsonSerializer.Serialize(mode, Json));
        }
    }

    [Fact]
    public void A_run_that_ran_in_a_session_carries_its_mode_generation_counter_event_and_typed_input_and_the_exec_shape_does_too()
    {
        var result = new ExecutionResult
        {
            Status = RunStatus.Succeeded, ExitCode = 0, TypedInput = "ada\n", Session = new SessionRunInfo(3, 7, SessionEvent.EndedByExit),
        };

        using var session = JsonDocument.Parse(JsonSerializer.Serialize(RunView.FromResult(1, 2, 3, "python", ExecutionTrigger.Rerun, result), Json));
        using var fresh = JsonDocument.Parse(JsonSerializer.Serialize(RunView.FromResult(0, 0, 0, "c", ExecutionTrigger.Submit, result with { Session = null, TypedInput = "" }), Json));

        Assert.Equal("session", session.RootElement.GetProperty("mode").GetString());
        Assert.Equal(3, session.RootElement.GetProperty("sessionGeneration").GetInt32());
        Assert.Equal(7, session.RootElement.GetProperty("executionCounter").GetInt32());
        Assert.Equal("ended_by_exit", session.RootElement.GetProperty("sessionEvent").GetString());
        Assert.Equal("ada\n", session.RootElement.GetProperty("typedInput").GetString());
        Assert.Equal("fresh", fresh.RootElement.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, fresh.RootElement.GetProperty("sessionEvent").ValueKind);
    }

    [Fact]
    public void A_single_re_run_that_continued_the_live_session_says_so_and_one_that_started_a_new_session_does_not()
    {
        var run = RunView.FromResult(1, 2, 3, "python", ExecutionTrigger.Rerun, new ExecutionResult
        {
            Status = RunStatus.Succeeded, Session = new SessionRunInfo(1, 4, SessionEvent.Continued),
        });

        Assert.True(run.ReranInLiveSession);
        Assert.False((run with { SessionEvent = SessionEvent.Started }).ReranInLiveSession);
        Assert.True((run with { SessionEvent = SessionEvent.Started }).StartedSession);
        Assert.False((run with { Trigger = ExecutionTrigger.ConversationRerun }).ReranInLiveSession);
        Assert.True((run with { SessionEvent = SessionEvent.KilledStateLost }).EndedSession);
    }
}
