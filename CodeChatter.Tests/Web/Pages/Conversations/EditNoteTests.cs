using System.Net;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class EditNoteTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task I_can_change_a_note_and_see_it_changed()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var (chat, noteId) = await ConversationWithNoteAsync(client, "first *draft*");

        var edit = await client.GetAsync($"/Conversations/{chat}/Notes/{noteId}");
        Assert.Equal("first *draft*", edit.Single("textarea#note-text").TextContent);
        var page = await client.PostFormAsync(edit, "form#edit-note", new() { ["Note.Text"] = "second **take**" });

        Assert.Equal("take", page.Single($"#snippet-{noteId} .note-body strong").TextContent);
        Assert.Equal("Note saved.", page.Single(".status-message").TextContent);
    }

    [Fact]
    public async Task An_empty_note_is_refused_and_the_old_text_kept()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var (chat, noteId) = await ConversationWithNoteAsync(client, "keep me");

        var page = await client.PostFormAsync($"/Conversations/{chat}/Notes/{noteId}", "form#edit-note", new() { ["Note.Text"] = "  " });

        Assert.Contains("Write some note first.", page.Single("[data-valmsg-for='Note.Text']").TextContent);
        Assert.Equal("keep me", await client.WithDbAsync(db => db.Snippets.Where(s => s.Id == noteId).Select(s => s.Code).SingleAsync()));
    }

    [Fact]
    public async Task I_can_delete_a_note_and_the_code_and_its_runs_stay()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var (chat, noteId) = await ConversationWithNoteAsync(client, "going away");

        var page = await client.PostFormAsync($"/Conversations/{chat}/Notes/{noteId}", "form#delete-note");

        Assert.Empty(page.All("li.message-note"));
        Assert.Equal("Note deleted.", page.Single(".status-message").TextContent);
        Assert.Single(page.All("li.message-code article.reply"));
    }

    [Fact]
    public async Task A_code_snippet_cannot_be_edited_as_a_note()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('as sent')");
        var codeId = first.Single("li.message-code").GetAttribute("data-snippet-id");
        var (_, noteId) = await ConversationWithNoteAsync(client, "mine", first.ConversationId);
        var notePage = await client.GetAsync($"/Conversations/{first.ConversationId}/Notes/{noteId}");

        var get = await client.GetAsync($"/Conversations/{first.ConversationId}/Notes/{codeId}");
        var post = await client.PostFormAsync(notePage, "form#edit-note", new() { ["Note.Text"] = "print('changed')" },
            new Uri($"/Conversations/{first.ConversationId}/Notes/{codeId}", UriKind.Relative));
        var delete = await client.PostFormAsync(notePage, "form#delete-note", null,
            new Uri($"/Conversations/{first.ConversationId}/Notes/{codeId}?handler=Delete", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal(HttpStatusCode.NotFound, post.Status);
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        Assert.Equal("print('as sent')", await client.WithDbAsync(db => db.Snippets.Where(s => s.Id == long.Parse(codeId!)).Select(s => s.Code).SingleAsync()));
    }

    [Fact]
    public async Task Someone_elses_note_is_not_found_and_stays_as_it_was()
    {
        using var alice = await ChatClient.RegisterAsync(factory);
        using var mallory = await ChatClient.RegisterAsync(factory);
        var (aliceChat, aliceNote) = await ConversationWithNoteAsync(alice, "alice's secret");
        var (malloryChat, malloryNote) = await ConversationWithNoteAsync(mallory, "mallory's");
        var malloryPage = await mallory.GetAsync($"/Conversations/{malloryChat}/Notes/{malloryNote}");

        var get = await mallory.GetAsync($"/Conversations/{aliceChat}/Notes/{aliceNote}");
        var post = await mallory.PostFormAsync(malloryPage, "form#edit-note", new() { ["Note.Text"] = "defaced" },
            new Uri($"/Conversations/{aliceChat}/Notes/{aliceNote}", UriKind.Relative));
        var delete = await mallory.PostFormAsync(malloryPage, "form#delete-note", null,
            new Uri($"/Conversations/{aliceChat}/Notes/{aliceNote}?handler=Delete", UriKind.Relative));
        // Her own conversation's address with Alice's note: still not hers.
        var mixed = await mallory.GetAsync($"/Conversations/{malloryChat}/Notes/{aliceNote}");

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.DoesNotContain("secret", get.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, post.Status);
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, mixed.Status);
        Assert.Equal("alice's secret", await alice.WithDbAsync(db => db.Snippets.Where(s => s.Id == aliceNote).Select(s => s.Code).SingleAsync()));
    }

    private static async Task<(long Conversation, long Note)> ConversationWithNoteAsync(ChatClient client, string text, long? conversationId = null)
    {
        var chat = conversationId is { } id ? await client.GetAsync($"/Conversations/{id}") : await client.NewConversationAsync("print(1)");
        var page = await client.PostFormAsync(chat, "form#note", new() { ["Note.Text"] = text });
        var note = page.All("li.message-note")[^1];
        return (page.ConversationId, long.Parse(note.GetAttribute("data-snippet-id")!));
    }
}
