using System.Net;
using System.Text.Json;
using CodeChatter.Core.Chat;
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

        using var response = await client.PostFormAsScriptAsync(page, "form.rerun-form");

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

        using var response = await client.PostFormAsScriptAsync(page, "form.rerun-form", new() { ["all"] = "true" });

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
}
