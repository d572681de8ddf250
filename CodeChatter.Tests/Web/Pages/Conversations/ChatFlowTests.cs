using System.Net;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Pages.Conversations;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

/// <summary>The chat page's side list, "Edit as new message" without script, and starting a re-run for the page's script.</summary>
public class ChatFlowTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task The_side_list_shows_my_conversations_newest_first_and_none_of_anyone_elses()
    {
        using var alice = await ChatClient.RegisterAsync(factory);
        using var mallory = await ChatClient.RegisterAsync(factory);
        await mallory.NewConversationAsync("print(0)", title: "mallory's");
        await alice.NewConversationAsync("print(1)", title: "older one");
        var newer = await alice.NewConversationAsync("print(2)", title: "newer one");

        var titles = newer.All(".side-list-items a").Select(a => a.TextContent).ToList();

        Assert.Equal(["newer one", "older one"], titles);
        Assert.Equal("page", newer.Single(".side-list-items a").GetAttribute("aria-current"));
        Assert.Empty(newer.All(".side-list-more"));
    }

    [Fact]
    public async Task The_side_list_shows_only_my_most_recent_conversations_and_links_to_all_of_them()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)", title: "the one I am in");
        await SeedOlderConversationsAsync(client, Enumerable.Range(0, 40).Select(i => $"old {i}").ToList());

        var page = await client.GetAsync($"/Conversations/{chat.ConversationId}");

        var titles = page.All(".side-list-items a").Select(a => a.TextContent).ToList();
        Assert.Equal(ChatModel.SideListSize, titles.Count);
        Assert.Equal("the one I am in", titles[0]);
        Assert.Equal($"old {ChatModel.SideListSize - 2}", titles[^1]);
        var all = page.Single(".side-list-more a");
        Assert.Equal("All 41 conversations", all.TextContent);
        Assert.Equal("/Conversations", all.GetAttribute("href"));
        Assert.Equal($"/Conversations/{chat.ConversationId}", page.Single(".side-list-items a[aria-current=page]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_title_filter_finds_an_old_conversation_beyond_those_listed_ignoring_case_and_taking_wildcards_literally()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)", title: "Parsing 1000 dates");
        var titles = Enumerable.Range(0, 40).Select(i => $"old {i}").Append("Parsing 100% of dates").ToList();
        await SeedOlderConversationsAsync(client, titles);

        var page = await client.GetAsync($"/Conversations/{chat.ConversationId}?q=%20parsing%20100%25");

        Assert.Equal(["Parsing 100% of dates"], page.All(".side-list-items a").Select(a => a.TextContent));
        Assert.Empty(page.All(".side-list-more"));
        Assert.Equal("Parsing 1000 dates", page.Single("#conversation-title").TextContent);
    }

    [Fact]
    public async Task The_page_has_one_rerun_form_with_one_antiforgery_token_however_many_messages_it_has()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");
        await client.SendAsync(first.ConversationId, "print(2)");
        var page = await client.SendAsync(first.ConversationId, "print(3)");

        var form = Assert.Single(page.All("form.rerun-form"));
        Assert.Single(form.QuerySelectorAll("input[name=__RequestVerificationToken]"));
        Assert.Empty(page.All("#chat input[name=__RequestVerificationToken]"));
        var messages = page.All("#chat > li.message-code");
        Assert.Equal(3, messages.Count);
        Assert.All(messages, message =>
        {
            var button = Assert.Single(message.QuerySelectorAll("button.rerun-button"));
            Assert.Equal(form.Id, button.GetAttribute("form"));
            Assert.Equal(message.GetAttribute("data-snippet-id"), button.GetAttribute("value"));
        });
    }

    [Fact]
    public async Task A_message_drawn_for_the_script_to_append_has_a_rerun_button_for_the_pages_form_and_no_form_of_its_own()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var page = await client.NewConversationAsync("print(1)");
        var snippetId = page.Single("li.message-code").GetAttribute("data-snippet-id");

        var drawn = await client.GetAsync($"/Conversations/{page.ConversationId}?handler=Message&snippetId={snippetId}");

        Assert.Empty(drawn.All("form"));
        var button = drawn.Single($"#snippet-{snippetId} button.rerun-button");
        Assert.Equal("rerun-form", button.GetAttribute("form"));
        Assert.Equal(snippetId, button.GetAttribute("value"));
    }

    [Fact]
    public async Task Rerun_without_script_reruns_the_message_whose_button_was_pressed_through_the_pages_one_form()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('first')");
        var page = await client.SendAsync(first.ConversationId, "print('second')");
        var firstId = page.All("#chat > li.message-code")[0].GetAttribute("data-snippet-id")!;

        var rerun = await client.PressAsync(page, $"#snippet-{firstId} button.rerun-button");

        Assert.Equal(HttpStatusCode.OK, rerun.Status);
        var messages = rerun.All("#chat > li.message-code");
        Assert.Equal("1 earlier run", messages[0].QuerySelector("details.older-replies > summary")!.TextContent);
        Assert.Null(messages[1].QuerySelector("details.older-replies"));
        Assert.Contains("Re-ran message #1", rerun.Single(".status-message").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_side_list_can_be_filtered_by_title_without_script()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        await client.NewConversationAsync("print(1)", title: "Sorting lists");
        var chat = await client.NewConversationAsync("print(2)", title: "Parsing dates");

        var page = await client.GetAsync($"/Conversations/{chat.ConversationId}?q=SORT");

        Assert.Equal(["Sorting lists"], page.All(".side-list-items a").Select(a => a.TextContent));
        Assert.Equal("Parsing dates", page.Single("#conversation-title").TextContent);
    }

    [Fact]
    public async Task Edit_as_new_message_without_script_fills_the_compose_form_with_the_snippet()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");
        var page = await client.SendAsync(first.ConversationId, "print(input())", language: "python", stdin: "typed\n");
        var snippetId = page.All("li.message-code")[^1].GetAttribute("data-snippet-id");
        var link = page.All("li.message-code")[^1].QuerySelector("a.edit-as-new")!.GetAttribute("href")!;

        var edit = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, edit.Status);
        Assert.Equal($"/Conversations/{first.ConversationId}?edit={snippetId}#compose", link);
        Assert.Equal("print(input())", edit.Single("textarea#code").TextContent);
        Assert.Equal("typed\n", edit.Single("textarea#stdin").TextContent);
        Assert.Equal("python", edit.Single("select#language option[selected]").GetAttribute("value"));
        // Sending it adds a message; the one it came from stays as it was.
        var sent = await client.PostFormAsync(edit, "form#compose", new() { ["Input.Code"] = "print(input().upper())" });
        Assert.Equal("TYPED\n", sent.All("pre[data-stream=stdout]")[^1].TextContent);
        var codes = await client.WithDbAsync(db => db.Snippets.Where(s => s.ConversationId == first.ConversationId).OrderBy(s => s.Sequence).Select(s => s.Code).ToListAsync());
        Assert.Equal(["print(1)", "print(input())", "print(input().upper())"], codes);
    }

    [Fact]
    public async Task Edit_as_new_message_finds_nothing_in_someone_elses_conversation_or_another_of_mine_or_a_note()
    {
        using var alice = await ChatClient.RegisterAsync(factory);
        using var mallory = await ChatClient.RegisterAsync(factory);
        var alices = await alice.NewConversationAsync("print('secret')");
        var aliceSnippet = alices.Single("li.message-code").GetAttribute("data-snippet-id");
        var mallorys = await mallory.NewConversationAsync("print(1)");
        var mine = await alice.NewConversationAsync("print(2)");
        var withNote = await alice.PostFormAsync(mine, "form#note", new() { ["Note.Text"] = "a note" });
        var noteId = withNote.Single("li.message-note").GetAttribute("data-snippet-id");

        var theirs = await mallory.GetAsync($"/Conversations/{mallorys.ConversationId}?edit={aliceSnippet}");
        var otherConversation = await alice.GetAsync($"/Conversations/{mine.ConversationId}?edit={aliceSnippet}");
        var note = await alice.GetAsync($"/Conversations/{mine.ConversationId}?edit={noteId}");

        Assert.Equal(HttpStatusCode.NotFound, theirs.Status);
        Assert.DoesNotContain("secret", theirs.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherConversation.Status);
        Assert.Equal(HttpStatusCode.NotFound, note.Status);
    }

    [Fact]
    public async Task Starting_a_rerun_for_the_script_answers_with_the_new_run_and_where_to_follow_it()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var page = await client.NewConversationAsync("print('again')");
        var snippetId = long.Parse(page.Single("li.message-code").GetAttribute("data-snippet-id")!);

        using var response = await client.PressAsScriptAsync(page, "button.rerun-button");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var executionId = json.RootElement.GetProperty("executionId").GetInt64();
        Assert.Equal(snippetId, json.RootElement.GetProperty("snippetId").GetInt64());
        Assert.Equal($"/Conversations/{page.ConversationId}/Executions/{executionId}/Events", json.RootElement.GetProperty("eventsUrl").GetString());
        Assert.StartsWith($"/Conversations/{page.ConversationId}", json.RootElement.GetProperty("messageUrl").GetString(), StringComparison.Ordinal);
        var run = await client.WithDbAsync(db => db.Executions.SingleAsync(e => e.Id == executionId));
        Assert.Equal(snippetId, run.SnippetId);
        Assert.Equal(ExecutionTrigger.Rerun, run.Trigger);
    }

    [Fact]
    public async Task A_step_of_rerunning_everything_is_stored_as_a_conversation_rerun()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var page = await client.NewConversationAsync("print('again')");

        using var response = await client.PressAsScriptAsync(page, "button.rerun-button", new() { ["all"] = "true" });

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var executionId = json.RootElement.GetProperty("executionId").GetInt64();
        var trigger = await client.WithDbAsync(db => db.Executions.Where(e => e.Id == executionId).Select(e => e.Trigger).SingleAsync());
        Assert.Equal(ExecutionTrigger.ConversationRerun, trigger);
    }

    [Fact]
    public async Task Starting_a_rerun_of_someone_elses_snippet_is_not_found_and_runs_nothing()
    {
        using var alice = await ChatClient.RegisterAsync(factory);
        using var mallory = await ChatClient.RegisterAsync(factory);
        var alices = await alice.NewConversationAsync("print('alice')");
        var aliceSnippet = alices.Single("li.message-code").GetAttribute("data-snippet-id")!;
        var mallorys = await mallory.NewConversationAsync("print(1)");

        using var response = await mallory.PostFormAsScriptAsync(mallorys, "form.rerun-form", new() { ["snippetId"] = aliceSnippet });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var runs = await alice.WithDbAsync(db => db.Executions.CountAsync(e => e.SnippetId == long.Parse(aliceSnippet)));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_long_conversation_opens_at_its_newest_messages_with_a_link_to_all_of_them()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print('the first message')");
        var notes = ChatModel.NewestMessagesShown + 4;
        await client.WithDbAsync(db =>
        {
            var now = DateTime.UtcNow;
            db.Snippets.AddRange(Enumerable.Range(2, notes).Select(sequence => new Snippet
            {
                ConversationId = chat.ConversationId, Sequence = sequence, Kind = SnippetKind.Note, Language = RunService.NoteLanguage,
                Code = $"note {sequence}", CreatedAt = now.AddSeconds(sequence),
            }));
            return db.SaveChangesAsync();
        });

        var newest = await client.GetAsync($"/Conversations/{chat.ConversationId}");
        var all = await client.GetAsync($"/Conversations/{chat.ConversationId}?all=true");

        var shown = newest.All("#chat > li.message").Select(li => li.QuerySelector(".note-body")?.TextContent.Trim()).ToList();
        Assert.Equal(ChatModel.NewestMessagesShown, shown.Count);
        Assert.Equal($"note {notes + 1}", shown[^1]);
        Assert.Equal("note 6", shown[0]);
        Assert.Empty(newest.All("li.message-code"));
        var link = newest.Single("#show-earlier");
        Assert.Equal("Show the 5 earlier messages", link.TextContent);
        Assert.Equal($"/Conversations/{chat.ConversationId}?all=True", link.GetAttribute("href"));
        Assert.Equal(notes + 1, all.All("#chat > li.message").Count());
        Assert.Equal("the first message\n", all.Single("li.message-code pre[data-stream=stdout]").TextContent);
        Assert.Empty(all.All("#show-earlier"));
    }

    /// <summary>Conversations of the client's, each older than the last and than any it made itself, in the order given.</summary>
    private static async Task SeedOlderConversationsAsync(ChatClient client, IReadOnlyList<string> titles)
    {
        var owner = await client.GetUserAsync();
        var start = DateTime.UtcNow.AddDays(-1);
        await client.WithDbAsync(db =>
        {
            db.Conversations.AddRange(titles.Select((title, i) =>
                new Conversation { OwnerId = owner.Id, Title = title, CreatedAt = start.AddMinutes(-i), UpdatedAt = start.AddMinutes(-i) }));
            return db.SaveChangesAsync();
        });
    }
}
