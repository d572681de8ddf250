using System.Net;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class RichOutputTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_reply_shows_its_figure_table_and_value_where_they_were_displayed_in_its_stdout()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunOutputsAsync(person, conversationId);

        var page = await person.GetAsync($"/Conversations/{conversationId}");

        var stdout = page.Single("article.reply .stream-stdout");
        var parts = stdout.Children.Where(c => c.LocalName != "h3" && !c.ClassList.Contains("notice"))
            .Select(c => c.LocalName switch
            {
                "figure" => "figure:" + c.QuerySelector("img")!.GetAttribute("alt"),
                "div" => "html:" + c.QuerySelector("td")!.TextContent,
                _ => (c.ClassList.Contains("rich-text") ? "text:" : "stdout:") + c.TextContent,
            })
            .ToList();
        Assert.Equal(
            ["stdout:before\n", "figure:Figure 1 of the reply", "stdout:middle\n", "html:42", "stdout:after\n", "text:" + RichOutputRuns.Value],
            parts);
        var src = stdout.QuerySelector("figure img")!.GetAttribute("src")!;
        Assert.Matches($"^/Conversations/{conversationId}/outputs/[0-9]+$", src);
        var html = stdout.QuerySelector("div.rich-html")!;
        Assert.Null(html.QuerySelector("script, img, [onerror]"));
        Assert.DoesNotContain("alert", html.InnerHtml, StringComparison.Ordinal);
        Assert.Equal(RichOutputRuns.Omitted, page.Single(".outputs-omitted").TextContent);
        Assert.Contains("<1>", page.Single("pre.rich-text").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_figure_is_served_as_a_png_to_its_owner_with_nosniff_and_is_not_found_for_anyone_else()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var stranger = await ChatClient.RegisterAsync(factory);
        var conversationId = (await owner.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunOutputsAsync(owner, conversationId);
        var src = (await owner.GetAsync($"/Conversations/{conversationId}")).Single("figure.rich-figure img").GetAttribute("src")!;
        var otherConversationId = (await owner.NewConversationAsync("print(2)")).ConversationId;

        using var mine = await owner.Http.GetAsync(src);
        using var theirs = await stranger.Http.GetAsync(src);
        using var wrongConversation = await owner.Http.GetAsync(src.Replace($"/{conversationId}/", $"/{otherConversationId}/", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("image/png", mine.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["nosniff"], mine.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(RichOutputRuns.Png, await mine.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongConversation.StatusCode);
    }

    [Fact]
    public async Task An_html_item_fetched_by_its_address_is_plain_text_to_download_never_a_page()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunOutputsAsync(person, conversationId);
        var src = (await person.GetAsync($"/Conversations/{conversationId}")).Single("figure.rich-figure img").GetAttribute("src")!;
        var imageId = long.Parse(src[(src.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        // The HTML item was stored right after the image.
        using var response = await person.Http.GetAsync($"/Conversations/{conversationId}/outputs/{imageId + 1}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task The_runs_page_says_how_many_items_a_run_displayed()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('before')")).ConversationId;
        await person.SendAsync(conversationId, "print('plain')");
        await RichOutputRuns.GiveNewestRunOutputsAsync(person, conversationId);

        var page = await person.GetAsync("/Runs");

        Assert.Equal(["3"], page.All("[data-displayed-items]").Select(e => e.GetAttribute("data-displayed-items")));
        Assert.Equal(2, page.All("tbody tr").Count);
    }

    [Fact]
    public async Task The_runs_page_counts_a_runs_files_apart_from_what_it_displayed()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('files')")).ConversationId;
        await RichOutputRuns.GiveNewestRunFilesAsync(person, conversationId, ("a.csv", [1]), ("b.csv", [2]));

        var page = await person.GetAsync("/Runs");

        // The helper's run shows one figure besides its files.
        Assert.Equal(["1"], page.All("[data-displayed-items]").Select(e => e.GetAttribute("data-displayed-items")));
        Assert.Equal(["2"], page.All("[data-files]").Select(e => e.GetAttribute("data-files")));
    }
}
