using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

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
}
