using System.Net;
using System.Text.Json;
using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

/// <summary>The live output stream of a run (server-sent events) and its Stop handler.</summary>
public class ExecutionTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_started_run_streams_its_output_then_its_end_and_a_reconnect_resumes_after_the_last_id()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");

        var started = await StartAsync(client, chat, "import time\nfor i in range(3): print(i); time.sleep(0.3)");
        var events = await ReadEventsAsync(client, started.EventsUrl);

        var chunks = events.Where(e => e.Name == "chunk").ToList();
        Assert.Equal("0\n1\n2\n", string.Concat(chunks.Select(e => e.Data.GetProperty("text").GetString())));
        Assert.All(chunks, chunk => Assert.Equal("stdout", chunk.Data.GetProperty("stream").GetString()));
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => i.ToString()), chunks.Select(e => e.Id));
        Assert.Equal("end", events[^1].Name);
        Assert.Equal("succeeded", events[^1].Data.GetProperty("status").GetString());
        Assert.Equal(0, events[^1].Data.GetProperty("exitCode").GetInt32());

        var resumed = await ReadEventsAsync(client, started.EventsUrl, lastEventId: "1");
        Assert.Equal(
            string.Concat(chunks.Skip(1).Select(e => e.Data.GetProperty("text").GetString())),
            string.Concat(resumed.Where(e => e.Name == "chunk").Select(e => e.Data.GetProperty("text").GetString())));
        Assert.Equal("end", resumed[^1].Name);
    }

    [Fact]
    public async Task A_run_that_ended_before_this_server_started_sends_its_stored_output_at_once()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");
        var snippetId = long.Parse(chat.Single("li.message-code").GetAttribute("data-snippet-id")!);
        // A stored run this server never ran, as after a restart: only its row is left to send.
        var executionId = await client.WithDbAsync(async db =>
        {
            var row = new CodeChatter.Data.Entities.Execution { SnippetId = snippetId, Trigger = CodeChatter.Core.Chat.ExecutionTrigger.Rerun };
            row.Complete(new ExecutionResult { Status = RunStatus.Failed, ExitCode = 1, Stdout = "out\n", Stderr = "err\n" });
            db.Executions.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var eventsUrl = $"/Conversations/{chat.ConversationId}/Executions/{executionId}/Events";

        var events = await ReadEventsAsync(client, eventsUrl);
        var reconnected = await ReadEventsAsync(client, eventsUrl, lastEventId: "7");

        Assert.Equal(["chunk", "chunk", "end"], events.Select(e => e.Name));
        Assert.Equal("out\n", events[0].Data.GetProperty("text").GetString());
        Assert.Equal("stderr", events[1].Data.GetProperty("stream").GetString());
        Assert.Equal("err\n", events[1].Data.GetProperty("text").GetString());
        Assert.Equal("failed", events[2].Data.GetProperty("status").GetString());
        Assert.Equal(["reset", "chunk", "chunk", "end"], reconnected.Select(e => e.Name));
    }

    [Fact]
    public async Task Stop_from_the_plain_form_kills_the_run_and_it_is_stored_as_killed()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");
        var started = await StartAsync(client, chat, "print('looping', flush=True)\nwhile True: pass");
        var running = await client.GetAsync($"/Conversations/{chat.ConversationId}");

        var afterStop = await client.PostFormAsync(running, $"#execution-{started.ExecutionId} form.stop-form");

        Assert.Equal(HttpStatusCode.OK, afterStop.Status);
        var stored = await WaitForEndAsync(client, started.ExecutionId);
        Assert.Equal(RunStatus.Killed, stored.Status);
        Assert.True(stored.WallTimeMs < 4_000, $"took {stored.WallTimeMs} ms");
    }

    [Fact]
    public async Task Someone_elses_run_can_be_neither_watched_nor_stopped()
    {
        using var other = await ChatClient.RegisterAsync(factory);
        var theirs = await other.NewConversationAsync("print(1)");
        var theirRun = $"/Conversations/{theirs.ConversationId}/Executions/{ExecutionIdOf(theirs)}";
        using var me = await ChatClient.RegisterAsync(factory);
        var mine = await me.NewConversationAsync("print(2)");

        using var events = await me.Http.GetAsync($"{theirRun}/Events");
        mine.Single("form#rerun-all").SetAttribute("action", $"{theirRun}/Stop");
        var stop = await me.PostFormAsync(mine, "form#rerun-all");

        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stop.Status);
    }

    [Fact]
    public async Task A_finished_reply_is_drawn_by_the_server_for_its_owner_only()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print('drawn')");
        var reply = $"/Conversations/{chat.ConversationId}/Executions/{ExecutionIdOf(chat)}/Reply";
        using var other = await ChatClient.RegisterAsync(factory);

        var drawn = await client.GetAsync(reply);
        using var refused = await other.Http.GetAsync(reply);

        Assert.Equal(HttpStatusCode.OK, drawn.Status);
        Assert.Equal("succeeded", drawn.Single("article.reply").GetAttribute("data-status"));
        Assert.Equal("drawn\n", drawn.Single("pre[data-stream=stdout]").TextContent);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task The_end_event_is_the_run_as_the_api_shows_it()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");
        var started = await StartAsync(client, chat, "print('to the end')");

        var end = (await ReadEventsAsync(client, started.EventsUrl))[^1];

        Assert.Equal(started.ExecutionId, end.Data.GetProperty("id").GetInt64());
        Assert.Equal("to the end\n", end.Data.GetProperty("stdout").GetString());
        Assert.Equal("submit", end.Data.GetProperty("trigger").GetString());
        Assert.NotEqual(JsonValueKind.Null, end.Data.GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public async Task The_script_gets_the_problems_of_a_refused_message_by_field()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");
        chat.Single("form#compose").SetAttribute("action", chat.Single("form#compose").GetAttribute("data-start-url")!);

        var refused = await client.PostFormAsync(chat, "form#compose", new() { ["Input.Code"] = " ", ["Input.Language"] = "python" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        using var json = JsonDocument.Parse(refused.Html);
        Assert.Equal("Write some code first.", json.RootElement.GetProperty("errors").GetProperty("Input.Code").GetString());
    }

    private static long ExecutionIdOf(ChatClient.Page page) => long.Parse(page.Single("article.reply").GetAttribute("data-execution-id")!);

    private static async Task<(long ExecutionId, string EventsUrl)> StartAsync(ChatClient client, ChatClient.Page chat, string code)
    {
        var form = chat.Single("form#compose");
        form.SetAttribute("action", form.GetAttribute("data-start-url")!);
        var answer = await client.PostFormAsync(chat, "form#compose", new() { ["Input.Code"] = code, ["Input.Language"] = "python" });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var json = JsonDocument.Parse(answer.Html);
        return (json.RootElement.GetProperty("executionId").GetInt64(), json.RootElement.GetProperty("eventsUrl").GetString()!);
    }

    private static async Task<List<ServerSentEvent>> ReadEventsAsync(ChatClient client, string url, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        // The server closes the stream after the end event.
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<ServerSentEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null, name = null, data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
            if (name is not null) events.Add(new ServerSentEvent(id, name, JsonDocument.Parse(data!).RootElement.Clone()));
        }
        return events;
    }

    private static async Task<CodeChatter.Data.Entities.Execution> WaitForEndAsync(ChatClient client, long executionId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var row = await client.WithDbAsync(db => db.Executions.AsNoTracking().SingleAsync(e => e.Id == executionId));
            if (row.FinishedAt is not null) return row;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {executionId} did not end.");
    }

    private sealed record ServerSentEvent(string? Id, string Name, JsonElement Data);
}
