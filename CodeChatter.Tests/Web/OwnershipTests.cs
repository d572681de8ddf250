using System.Net;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web;

/// <summary>Someone else's conversation, snippet or run is simply not found, on every page and handler.</summary>
public class OwnershipTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private async Task<(ChatClient Me, ChatClient.Page Mine, ChatClient Other, long TheirConversation, long TheirSnippet)> ArrangeAsync()
    {
        var other = await ChatClient.RegisterAsync(factory);
        var theirs = await other.NewConversationAsync("print('theirs')");
        var theirSnippet = long.Parse(theirs.Single("li.message-code").GetAttribute("data-snippet-id")!);
        var me = await ChatClient.RegisterAsync(factory);
        var mine = await me.NewConversationAsync("print('mine')");
        return (me, mine, other, theirs.ConversationId, theirSnippet);
    }

    private static async Task<HttpStatusCode> PostWithMyTokenAsync(ChatClient me, ChatClient.Page mine, string formSelector, string action, Dictionary<string, string>? fields = null)
    {
        var form = mine.Single(formSelector);
        form.SetAttribute("action", action);
        return (await me.PostFormAsync(mine, formSelector, fields)).Status;
    }

    [Fact]
    public async Task Someone_elses_conversation_page_is_not_found()
    {
        var (me, _, _, theirs, _) = await ArrangeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"/Conversations/{theirs}")).Status);
    }

    [Fact]
    public async Task Sending_code_to_someone_elses_conversation_is_not_found_and_stores_nothing()
    {
        var (me, mine, other, theirs, _) = await ArrangeAsync();

        var status = await PostWithMyTokenAsync(me, mine, "form#compose", $"/Conversations/{theirs}?handler=Run",
            new() { ["Input.Code"] = "print('intruder')", ["Input.Language"] = "python" });

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(1, await other.WithDbAsync(db => db.Snippets.CountAsync(s => s.ConversationId == theirs)));
    }

    [Fact]
    public async Task Adding_a_note_to_someone_elses_conversation_is_not_found()
    {
        var (me, mine, _, theirs, _) = await ArrangeAsync();

        var status = await PostWithMyTokenAsync(me, mine, "form#note", $"/Conversations/{theirs}?handler=Note", new() { ["Note.Text"] = "hello" });

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Rerunning_someone_elses_snippet_is_not_found_even_through_my_own_conversation()
    {
        var (me, mine, other, theirs, theirSnippet) = await ArrangeAsync();

        var throughTheirs = await PostWithMyTokenAsync(me, mine, "form.rerun-form", $"/Conversations/{theirs}?handler=Rerun", new() { ["snippetId"] = theirSnippet.ToString() });
        var throughMine = await PostWithMyTokenAsync(me, mine, "form.rerun-form", $"/Conversations/{mine.ConversationId}?handler=Rerun", new() { ["snippetId"] = theirSnippet.ToString() });

        Assert.Equal(HttpStatusCode.NotFound, throughTheirs);
        Assert.Equal(HttpStatusCode.NotFound, throughMine);
        Assert.Equal(1, await other.WithDbAsync(db => db.Executions.CountAsync(e => e.SnippetId == theirSnippet)));
    }

    [Fact]
    public async Task Rerunning_someone_elses_conversation_is_not_found()
    {
        var (me, mine, _, theirs, _) = await ArrangeAsync();

        Assert.Equal(HttpStatusCode.NotFound, await PostWithMyTokenAsync(me, mine, "form#rerun-all", $"/Conversations/{theirs}?handler=RerunAll"));
    }

    [Fact]
    public async Task Someone_elses_rename_page_is_not_found()
    {
        var (me, _, _, theirs, _) = await ArrangeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"/Conversations/{theirs}/Rename")).Status);
    }

    [Fact]
    public async Task Renaming_someone_elses_conversation_is_not_found_and_changes_nothing()
    {
        var (me, _, other, theirs, _) = await ArrangeAsync();
        var myConversation = (await me.GetAsync("/Conversations")).Single("li.conversation-item").GetAttribute("data-conversation-id");
        var renamePage = await me.GetAsync($"/Conversations/{myConversation}/Rename");

        var status = await PostWithMyTokenAsync(me, renamePage, "form#rename", $"/Conversations/{theirs}/Rename", new() { ["Input.Title"] = "hijacked" });

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotEqual("hijacked", await other.WithDbAsync(db => db.Conversations.Where(c => c.Id == theirs).Select(c => c.Title).SingleAsync()));
    }

    [Fact]
    public async Task Someone_elses_delete_page_is_not_found()
    {
        var (me, _, _, theirs, _) = await ArrangeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await me.GetAsync($"/Conversations/{theirs}/Delete")).Status);
    }

    [Fact]
    public async Task Deleting_someone_elses_conversation_is_not_found_and_deletes_nothing()
    {
        var (me, mine, other, theirs, _) = await ArrangeAsync();
        var deletePage = await me.GetAsync($"/Conversations/{mine.ConversationId}/Delete");

        var status = await PostWithMyTokenAsync(me, deletePage, "form#delete", $"/Conversations/{theirs}/Delete");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(await other.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == theirs)));
    }

    [Fact]
    public async Task Someone_elses_runs_and_conversations_are_not_listed()
    {
        var (me, _, _, theirs, _) = await ArrangeAsync();

        var runs = await me.GetAsync("/Runs");
        var conversations = await me.GetAsync("/Conversations");

        Assert.All(runs.All("table.runs code"), code => Assert.DoesNotContain("theirs", code.TextContent));
        Assert.DoesNotContain(conversations.All("li.conversation-item"), item => item.GetAttribute("data-conversation-id") == theirs.ToString());
    }
}
