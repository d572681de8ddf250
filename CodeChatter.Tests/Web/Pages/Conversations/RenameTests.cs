namespace CodeChatter.Tests.Web.Pages.Conversations;

public class RenameTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Renaming_changes_the_title_and_says_so()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)", title: "before");

        var page = await client.PostFormAsync($"/Conversations/{chat.ConversationId}/Rename", "form#rename", new() { ["Input.Title"] = "after" });

        Assert.Equal("after", page.Single("#conversation-title").TextContent);
        Assert.Equal("Conversation renamed.", page.Single(".status-message").TextContent);
    }

    [Fact]
    public async Task An_empty_title_is_refused()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)", title: "before");

        var page = await client.PostFormAsync($"/Conversations/{chat.ConversationId}/Rename", "form#rename", new() { ["Input.Title"] = "" });

        Assert.NotEmpty(page.Single("[data-valmsg-for='Input.Title']").TextContent);
    }
}
