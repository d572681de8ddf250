using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class DeleteTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Deleting_asks_first_then_removes_the_conversation_with_its_snippets_and_runs()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)", title: "doomed");
        var id = chat.ConversationId;

        var confirm = await client.GetAsync($"/Conversations/{id}/Delete");
        Assert.Equal("doomed", confirm.Single("#delete-title").TextContent);
        Assert.True(await client.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == id)));

        var list = await client.PostFormAsync(confirm, "form#delete");

        Assert.Equal("Conversation deleted.", list.Single(".status-message").TextContent);
        Assert.False(await client.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == id)));
        Assert.False(await client.WithDbAsync(db => db.Snippets.AnyAsync(s => s.ConversationId == id)));
        Assert.False(await client.WithDbAsync(db => db.Executions.AnyAsync(e => e.Snippet!.ConversationId == id)));
    }
}
