using System.Net;
using CodeChatter.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class WholeOutputTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private const int Printed = 200 * 1024, Shown = 64 * 1024;

    // Assigned: in a session a last bare expression's value would be printed too (Out[1]: 204800).
    private const string PrintsTwoHundredKiB = "import sys\n_ = sys.stdout.write('x' * (200 * 1024))";

    [Fact]
    public async Task A_run_printing_200_KiB_keeps_all_of_it_shows_64_KiB_and_downloads_the_whole()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync(PrintsTwoHundredKiB);

        var reply = page.Single("article.reply");
        Assert.Equal("succeeded", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Equal(Shown, reply.QuerySelector("pre[data-stream=stdout]")!.TextContent.Length);
        Assert.Null(reply.QuerySelector(".notice.truncated"));
        var link = reply.QuerySelector(".more-stored a.download-output")!;
        Assert.Equal("Download full output", link.TextContent);
        var stored = await client.WithDbAsync(db => db.Executions.Select(e => e.Stdout.Length).SingleAsync());
        Assert.Equal(Printed, stored);

        using var download = await client.Http.GetAsync(link.GetAttribute("href"));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/plain", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(new string('x', Printed), await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Someone_elses_full_output_is_not_found()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var stranger = await ChatClient.RegisterAsync(factory);
        var page = await owner.NewConversationAsync(PrintsTwoHundredKiB);
        var href = page.Single("a.download-output").GetAttribute("href");

        using var download = await stranger.Http.GetAsync(href);

        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }

    [Fact]
    public async Task The_API_shows_the_first_64_KiB_says_more_is_stored_and_serves_the_whole()
    {
        using var api = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);

        var run = await api.RunOkAsync(PrintsTwoHundredKiB);

        Assert.Equal(Shown, run.GetProperty("stdout").GetString()!.Length);
        Assert.True(run.GetProperty("stdoutMoreStored").GetBoolean());
        Assert.False(run.GetProperty("stdoutTruncated").GetBoolean());
        Assert.False(run.GetProperty("stderrMoreStored").GetBoolean());
        var url = $"/api/runs/{run.GetProperty("id").GetInt64()}/output/stdout";
        using var whole = await api.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(Printed, (await whole.Content.ReadAsStringAsync()).Length);
        using var theirs = await stranger.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public async Task Coloured_output_shows_as_coloured_text_and_times_carry_the_UTC_instant()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("print('\\x1b[31m<red>\\x1b[0m plain')");

        var stdout = page.Single("pre[data-stream=stdout]");
        Assert.Equal("<red> plain\n", stdout.TextContent);
        Assert.Equal("<red>", stdout.QuerySelector("span.ansi-fg-1")!.TextContent);
        var time = page.Single("article.reply time");
        Assert.EndsWith(" UTC", time.GetAttribute("title"));
        Assert.EndsWith("Z", time.GetAttribute("datetime"));
    }
}
