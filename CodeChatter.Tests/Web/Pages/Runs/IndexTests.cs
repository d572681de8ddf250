namespace CodeChatter.Tests.Web.Pages.Runs;

public class IndexTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task All_my_runs_across_conversations_are_listed_newest_first_and_link_to_their_reply()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('alpha')");
        var second = await client.NewConversationAsync("print('beta')");

        var page = await client.GetAsync("/Runs");

        var rows = page.All("table.runs tbody tr");
        Assert.Equal(["print('beta')", "print('alpha')"], rows.Select(r => r.QuerySelector("code")!.TextContent));
        var executionId = rows[0].GetAttribute("data-execution-id");
        Assert.Equal($"/Conversations/{second.ConversationId}?all=True#execution-{executionId}", rows[0].QuerySelector("a")!.GetAttribute("href"));
        var target = await client.GetAsync($"/Conversations/{second.ConversationId}");
        Assert.NotNull(target.Document.GetElementById($"execution-{executionId}"));
        Assert.NotEqual(first.ConversationId, second.ConversationId);
    }

    [Fact]
    public async Task Runs_can_be_filtered_by_status_language_code_text_and_date()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print('needle')");
        await client.SendAsync(chat.ConversationId, "raise RuntimeError('haystack')");
        await client.SendAsync(chat.ConversationId, "echo shell", language: "bash");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        async Task<List<string>> CodesAsync(string query) =>
            (await client.GetAsync("/Runs?" + query)).All("table.runs code").Select(c => c.TextContent).ToList();

        Assert.Equal(["raise RuntimeError('haystack')"], await CodesAsync("Filter.Status=failed"));
        Assert.Equal(["echo shell"], await CodesAsync("Filter.Language=bash"));
        Assert.Equal(["print('needle')"], await CodesAsync("Filter.Text=needle"));
        Assert.Equal(3, (await CodesAsync($"Filter.From={today}&Filter.To={today}")).Count);
        Assert.Empty(await CodesAsync("Filter.To=2000-01-01"));
    }

    [Fact]
    public async Task A_long_list_of_runs_is_paged_and_keeps_its_filters()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(0)");
        for (var i = 1; i <= 25; i++)
        {
            await client.SendAsync(chat.ConversationId, $"print({i})");
        }

        var first = await client.GetAsync("/Runs?Filter.Language=python");
        var nextLink = first.Single(".pager a[rel=next]").GetAttribute("href")!;
        var second = await client.GetAsync(nextLink);

        Assert.Contains("Filter.Language=python", nextLink);
        Assert.Equal(25, first.All("table.runs tbody tr").Count);
        Assert.Equal(["print(0)"], second.All("table.runs code").Select(c => c.TextContent));
    }
}
