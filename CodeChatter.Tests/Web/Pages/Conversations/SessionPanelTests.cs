using System.Net;
using System.Text.Json;
using CodeChatter.Core.Chat;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

/// <summary>
/// Conversations that remember, through the pages' plain forms (no script): the mode choice on New, the chat
/// page's session panel with Restart, Re-run all and the mode switch, a reply's place in its session, and
/// the input line of a run in flight.
/// </summary>
public class SessionPanelTests(RoomForSessionsAppFactory factory) : IClassFixture<RoomForSessionsAppFactory>
{
    [Fact]
    public async Task A_new_conversation_keeps_state_between_messages_and_the_panel_shows_its_live_session()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var first = await client.NewConversationAsync("x = 41");
        var page = await client.SendAsync(first.ConversationId, "print(x + 1)");

        Assert.Equal("session", first.Single("#session-panel").GetAttribute("data-mode"));
        var reply = page.All("article.reply")[^1];
        Assert.Equal("42\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Equal("[2]", reply.QuerySelector(".execution-counter")!.TextContent);
        Assert.Equal("session 1", reply.QuerySelector(".session-generation")!.TextContent);
        Assert.Contains("session 1", reply.QuerySelector(".session-place")!.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("started", first.Single("article.reply .session-event").GetAttribute("data-session-event"));
        Assert.Empty(reply.QuerySelectorAll(".session-event"));
        var session = page.Single("#session-panel li.session-item");
        Assert.Equal("python", session.GetAttribute("data-language"));
        Assert.Contains("live", session.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 messages run", session.TextContent, StringComparison.Ordinal);
        Assert.Contains("MiB", session.QuerySelector(".session-memory")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("idle ", session.QuerySelector(".session-idle")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("form#session-restart button"));
        Assert.Null(page.Document.QuerySelector("#session-panel .state-lost"));
    }

    [Fact]
    public async Task The_new_page_offers_the_two_modes_with_session_chosen_and_fresh_makes_a_fresh_conversation()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var form = await client.GetAsync("/Conversations/New");
        Assert.True(form.Single("input#mode-session").HasAttribute("checked"));
        Assert.False(form.Single("input#mode-fresh").HasAttribute("checked"));
        Assert.Equal("How messages run", form.Single("fieldset.mode-choice legend").TextContent);

        var page = await client.PostFormAsync(form, "form#compose", new() { ["Input.Language"] = "python", ["Input.Code"] = "x = 1", ["Mode"] = "fresh" });
        var next = await client.SendAsync(page.ConversationId, "print(x)");

        Assert.Equal(ConversationMode.Fresh, await client.WithDbAsync(db => db.Conversations.Where(c => c.Id == page.ConversationId).Select(c => c.Mode).SingleAsync()));
        Assert.Contains("fresh sandbox", next.Single("#session-panel .session-fresh").TextContent, StringComparison.Ordinal);
        Assert.Empty(next.All("article.reply .execution-counter"));
        Assert.Empty(next.All("article.reply .session-event"));
        var reply = next.All("article.reply")[^1];
        Assert.Equal("failed", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Contains("NameError", reply.QuerySelector("pre[data-stream=stderr]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_mode_on_the_new_page_is_refused_and_nothing_is_stored()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.PostFormAsync("/Conversations/New", "form#compose", new() { ["Input.Code"] = "print(1)", ["Mode"] = "forever" });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Choose how the conversation runs", page.Single("[data-valmsg-for=Mode]").TextContent, StringComparison.Ordinal);
        var me = await client.GetUserAsync();
        Assert.Equal(0, await client.WithDbAsync(db => db.Conversations.CountAsync(c => c.OwnerId == me.Id)));
    }

    [Fact]
    public async Task Restart_ends_the_session_the_panel_says_the_state_was_lost_and_the_next_message_starts_session_two()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("name = 'kept'");

        var restarted = await client.PostFormAsync(first, "form#session-restart");

        Assert.Equal(HttpStatusCode.OK, restarted.Status);
        Assert.Contains("Restarted", restarted.Single(".status-message").TextContent, StringComparison.Ordinal);
        Assert.Equal("No session is running: the next message starts one.", restarted.Single("#session-panel .session-none").TextContent);
        Assert.Empty(restarted.All("#session-panel li.session-item"));
        Assert.Contains("was lost", restarted.Single("#session-panel .state-lost").TextContent, StringComparison.Ordinal);
        Assert.NotNull(restarted.Document.QuerySelector("form#session-rerun-all button"));

        var next = await client.SendAsync(first.ConversationId, "print(name)");

        var reply = next.All("article.reply")[^1];
        Assert.Equal("failed", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Contains("NameError", reply.QuerySelector("pre[data-stream=stderr]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("session 2", reply.QuerySelector(".session-generation")!.TextContent);
        Assert.Equal("[1]", reply.QuerySelector(".execution-counter")!.TextContent);
        Assert.Equal("started", reply.QuerySelector(".session-event")!.GetAttribute("data-session-event"));
        Assert.Null(next.Document.QuerySelector("#session-panel .state-lost"));
    }

    [Fact]
    public async Task The_panels_rerun_all_rebuilds_the_lost_state_in_a_new_session()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("total = 20");
        await client.SendAsync(first.ConversationId, "total += 1\ntotal * 2");
        var restarted = await client.PostFormAsync(first, "form#session-restart");

        var rebuilt = await client.PostFormAsync(restarted, "form#session-rerun-all");

        Assert.Contains("2 same, 0 changed", rebuilt.Single(".status-message").TextContent, StringComparison.Ordinal);
        var latest = rebuilt.All("#chat > li.message-code > article.reply");
        Assert.Equal(["same", "same"], latest.Select(r => r.QuerySelector(".comparison")!.TextContent));
        Assert.Equal("session 2", latest[0].QuerySelector(".session-generation")!.TextContent);
        Assert.Contains("Out[2]: 42", latest[1].QuerySelector("pre[data-stream=stdout]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(rebuilt.Document.QuerySelector("#session-panel .state-lost"));
        Assert.Contains("2 messages run", rebuilt.Single("#session-panel li.session-item").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_rerun_says_it_ran_again_in_the_live_session()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("count = 0");
        var page = await client.SendAsync(first.ConversationId, "count += 1\nprint(count)");

        var rerun = await client.PressAsync(page, "#chat > li.message-code:last-child button.rerun-button");

        var reply = rerun.Single("#chat > li.message-code:last-child > article.reply");
        Assert.Equal("2\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Equal("Ran again in the live session as [3].", reply.QuerySelector(".session-event")!.TextContent);
        Assert.Equal("continued", reply.QuerySelector(".session-event")!.GetAttribute("data-session-event"));
    }

    [Fact]
    public async Task Switching_to_fresh_ends_the_session_and_later_messages_run_fresh_and_switching_back_keeps_state_again()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("y = 5");
        Assert.Contains("ends the live session", first.Single("form#session-mode").TextContent, StringComparison.Ordinal);

        var fresh = await client.PostFormAsync(first, "form#session-mode");

        Assert.Equal("fresh", fresh.Single("#session-panel").GetAttribute("data-mode"));
        Assert.NotNull(fresh.Document.QuerySelector("#session-panel .session-fresh"));
        Assert.Equal(ConversationMode.Fresh, await client.WithDbAsync(db => db.Conversations.Where(c => c.Id == first.ConversationId).Select(c => c.Mode).SingleAsync()));
        var freshReply = (await client.SendAsync(first.ConversationId, "print('alone')")).All("article.reply")[^1];
        Assert.Null(freshReply.QuerySelector(".execution-counter"));

        var again = await client.PostFormAsync(await client.GetAsync($"/Conversations/{first.ConversationId}"), "form#session-mode");
        Assert.Equal("session", again.Single("#session-panel").GetAttribute("data-mode"));
        await client.SendAsync(first.ConversationId, "z = 1");
        var kept = (await client.SendAsync(first.ConversationId, "print(z)")).All("article.reply")[^1];
        Assert.Equal("1\n", kept.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Equal("[2]", kept.QuerySelector(".execution-counter")!.TextContent);
    }

    [Fact]
    public async Task Restarting_or_switching_someone_elses_conversation_is_not_found_and_changes_nothing()
    {
        using var other = await ChatClient.RegisterAsync(factory);
        var theirs = await other.NewConversationAsync("secret = 1");
        using var me = await ChatClient.RegisterAsync(factory);
        var mine = await me.NewConversationAsync("print('mine')");

        mine.Single("form#session-restart").SetAttribute("action", $"/Conversations/{theirs.ConversationId}?handler=Restart");
        var restart = await me.PostFormAsync(mine, "form#session-restart");
        mine.Single("form#session-mode").SetAttribute("action", $"/Conversations/{theirs.ConversationId}?handler=Mode");
        var mode = await me.PostFormAsync(mine, "form#session-mode");
        var panel = await me.GetAsync($"/Conversations/{theirs.ConversationId}?handler=SessionPanel");

        Assert.Equal(HttpStatusCode.NotFound, restart.Status);
        Assert.Equal(HttpStatusCode.NotFound, mode.Status);
        Assert.Equal(HttpStatusCode.NotFound, panel.Status);
        Assert.Equal(ConversationMode.Session, await other.WithDbAsync(db => db.Conversations.Where(c => c.Id == theirs.ConversationId).Select(c => c.Mode).SingleAsync()));
        var still = await other.SendAsync(theirs.ConversationId, "print(secret)");
        Assert.Equal("1\n", still.All("pre[data-stream=stdout]")[^1].TextContent);
    }

    [Theory]
    [InlineData("Restart")]
    [InlineData("Mode")]
    [InlineData("Input")]
    public async Task A_session_post_without_the_antiforgery_token_is_refused(string handler)
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("x = 1");

        using var response = await client.Http.PostAsync(
            $"/Conversations/{chat.ConversationId}?handler={handler}", new FormUrlEncodedContent([new("mode", "fresh"), new("executionId", "1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var after = await client.GetAsync($"/Conversations/{chat.ConversationId}");
        Assert.Equal("session", after.Single("#session-panel").GetAttribute("data-mode"));
        Assert.NotEmpty(after.All("#session-panel li.session-item"));
    }

    [Fact]
    public async Task The_panel_partial_is_the_panel_the_page_draws()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("x = 1");

        var partial = await client.GetAsync(chat.Single("#session-panel").GetAttribute("data-refresh-url")!);

        Assert.Equal(HttpStatusCode.OK, partial.Status);
        Assert.Equal("python", partial.Single("section#session-panel li.session-item").GetAttribute("data-language"));
        Assert.NotNull(partial.Document.QuerySelector("form#session-restart input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task Input_typed_into_a_run_in_flight_reaches_it_and_the_stored_reply_shows_it_encoded()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print('ready')");
        using var started = await client.PostFormAsScriptAsync(chat, "form#compose", new() { ["Input.Code"] = "line = input('say: ')\nprint(len(line))" });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        using var json = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var executionId = json.RootElement.GetProperty("executionId").GetInt64();
        var running = await client.GetAsync($"/Conversations/{chat.ConversationId}");
        var inputLine = running.Single($"#execution-{executionId} form.input-line");
        Assert.Equal("Input", inputLine.QuerySelector("label")!.TextContent);

        var answered = await client.PostFormAsync(running, $"#execution-{executionId} form.input-line", new() { ["text"] = "<b>x</b>" });

        Assert.Equal(HttpStatusCode.OK, answered.Status);
        var reply = await FinishedReplyAsync(client, chat.ConversationId, executionId);
        Assert.Equal("say: 8\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Equal("<b>x</b>\n", reply.QuerySelector(".typed-input pre")!.TextContent);
        Assert.Null(reply.QuerySelector(".typed-input pre b"));
        Assert.Null(reply.QuerySelector("form.input-line"));

        // The run is over: its input line is gone and typing into it is not found.
        var again = await client.Http.PostAsync(
            $"/Conversations/{chat.ConversationId}?handler=Input",
            new FormUrlEncodedContent([new("executionId", executionId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("text", "late"),
                new("__RequestVerificationToken", running.Single("input[name=__RequestVerificationToken]").GetAttribute("value")!)]));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Typing_into_someone_elses_run_in_flight_is_not_found_and_end_input_gives_the_run_end_of_file()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var chat = await owner.NewConversationAsync("print('ready')");
        using var started = await owner.PostFormAsScriptAsync(chat, "form#compose", new() { ["Input.Code"] = "import sys\nprint(repr(sys.stdin.read()))" });
        using var json = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var executionId = json.RootElement.GetProperty("executionId").GetInt64();
        var running = await owner.GetAsync($"/Conversations/{chat.ConversationId}");
        using var intruder = await ChatClient.RegisterAsync(factory);
        var theirs = await intruder.NewConversationAsync("print(1)");
        theirs.Single("form#session-restart").SetAttribute("action", $"/Conversations/{chat.ConversationId}?handler=Input");

        var refused = await intruder.PostFormAsync(theirs, "form#session-restart", new() { ["executionId"] = executionId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["text"] = "intruder", ["end"] = "true" });
        await owner.PostFormAsync(running, $"#execution-{executionId} form.input-line", new() { ["text"] = "one", ["end"] = "true" });

        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        var reply = await FinishedReplyAsync(owner, chat.ConversationId, executionId);
        Assert.Equal("'one\\n'\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Equal("one\n", reply.QuerySelector(".typed-input pre")!.TextContent);
    }

    private static async Task<AngleSharp.Dom.IElement> FinishedReplyAsync(ChatClient client, long conversationId, long executionId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var page = await client.GetAsync($"/Conversations/{conversationId}");
            var reply = page.Single($"#execution-{executionId}");
            if (reply.GetAttribute("data-status") != "running") return reply;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {executionId} did not end.");
    }
}
