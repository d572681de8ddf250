using System.Net;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class IndexTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task My_conversations_are_listed_newest_first_with_their_last_runs_status()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        await client.NewConversationAsync("print(1)", title: "older");
        await client.NewConversationAsync("raise SystemExit(2)", title: "newer");

        var page = await client.GetAsync("/Conversations");

        var items = page.All("li.conversation-item");
        Assert.Equal(["newer", "older"], items.Select(i => i.QuerySelector(".conversation-title")!.TextContent));
        Assert.Equal(["failed", "succeeded"], items.Select(i => i.QuerySelector(".status")!.GetAttribute("data-status")));
        Assert.All(items, item => Assert.NotNull(item.QuerySelector("time")));
    }

    [Fact]
    public async Task A_long_list_is_paged()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        for (var i = 1; i <= 21; i++)
        {
            await client.NewConversationAsync($"print({i})", title: $"conversation {i}");
        }

        var first = await client.GetAsync("/Conversations");
        var second = await client.GetAsync(first.Single(".pager a[rel=next]").GetAttribute("href")!);

        Assert.Equal(20, first.All("li.conversation-item").Count);
        Assert.Equal("conversation 21", first.All(".conversation-title")[0].TextContent);
        Assert.Equal(["conversation 1"], second.All(".conversation-title").Select(t => t.TextContent));
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in_but_see_the_landing_page()
    {
        using var client = ChatClient.Anonymous(factory);

        var conversations = await client.GetAsync("/Conversations");
        var landing = await client.GetAsync("/");

        Assert.StartsWith("/Identity/Account/Login", conversations.Url);
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Equal("/", landing.Url);
    }
}
