using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Tests.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Pages.Conversations;

/// <summary>
/// Attachments and the files a run left are downloads of opaque bytes wherever they are fetched (chat page
/// addresses and API), whatever their names say; other people's are not found.
/// </summary>
public class FileDownloadTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    public static TheoryData<string, string> HostileNames => new()
    {
        // name given -> name downloaded
        { "<script>.html", "<script>.html" },
        { "../../x", "x" },
        { "say \"hi\"; filename=evil.exe", "say \"hi\"; filename=evil.exe" },
        { "naïve résumé 日本.txt", "naïve résumé 日本.txt" },
        { "back\\slash.txt", "slash.txt" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task An_attachment_is_downloaded_as_opaque_bytes_under_its_name_from_the_page_and_the_api(string given, string expected)
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.Person.NewConversationAsync("print(1)")).ConversationId;
        var content = Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>");
        var attachmentId = await AttachAsync(api.Person, conversationId, given, content);

        using var fromPage = await api.Person.Http.GetAsync($"/Conversations/{conversationId}/attachments/{attachmentId}");
        using var fromApi = await api.Http.GetAsync($"/api/conversations/{conversationId}/attachments/{attachmentId}");

        await AssertDownloadAsync(fromPage, expected, content);
        await AssertDownloadAsync(fromApi, expected, content);
    }

    [Fact]
    public async Task A_reply_lists_its_files_with_name_size_and_download_after_its_output()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunFilesAsync(person, conversationId,
            ("out/<img src=x onerror=alert(1)>.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n")), ("plot.svg", new byte[2048]));

        var page = await person.GetAsync($"/Conversations/{conversationId}");

        var reply = page.Single("article.reply");
        var files = reply.QuerySelector(".reply-files")!;
        Assert.Equal("Files", files.QuerySelector("h3")!.TextContent);
        var items = files.QuerySelectorAll("li.file-item").ToList();
        Assert.Equal(["out/<img src=x onerror=alert(1)>.csv", "plot.svg"], items.Select(i => i.QuerySelector(".file-name")!.TextContent));
        Assert.Equal(["8 B", "2 KiB"], items.Select(i => i.QuerySelector(".file-size")!.TextContent));
        Assert.All(items, i => Assert.Matches($"^/Conversations/{conversationId}/outputs/[0-9]+$", i.QuerySelector("a.file-download")!.GetAttribute("href")));
        Assert.Null(page.Document.QuerySelector("img[onerror]"));
        // The figure still shows where it was displayed; the files come after the output, never inline.
        Assert.NotNull(reply.QuerySelector(".stream-stdout figure.rich-figure img"));
        Assert.Null(reply.QuerySelector(".stream-stdout .file-item"));
        Assert.True(reply.QuerySelector(".stream-stdout")!.CompareDocumentPosition(files).HasFlag(AngleSharp.Dom.DocumentPositions.Following));
    }

    [Fact]
    public async Task A_runs_file_is_downloaded_as_opaque_bytes_from_the_page_and_the_api_and_an_image_still_shows()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.Person.NewConversationAsync("print('before')")).ConversationId;
        var content = Encoding.UTF8.GetBytes("<svg onload=alert(1)></svg>");
        var runId = await RichOutputRuns.GiveNewestRunFilesAsync(api.Person, conversationId, ("../../<script>.html", content));
        var page = await api.Person.GetAsync($"/Conversations/{conversationId}");
        var href = page.Single("a.file-download").GetAttribute("href")!;
        var imageSrc = page.Single("figure.rich-figure img").GetAttribute("src")!;
        var run = await api.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var outputs = run.GetProperty("outputs").EnumerateArray().ToList();

        using var fromPage = await api.Person.Http.GetAsync(href);
        using var fromApi = await api.Http.GetAsync(outputs[1].GetProperty("url").GetString());
        using var image = await api.Person.Http.GetAsync(imageSrc);

        Assert.Equal(["image/png", "file"], outputs.Select(o => o.GetProperty("type").GetString()));
        Assert.Equal(["name", "position", "size", "type", "url"], outputs[1].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("<script>.html", outputs[1].GetProperty("name").GetString());
        Assert.Equal(content.Length, outputs[1].GetProperty("size").GetInt64());
        var outputId = href[(href.LastIndexOf('/') + 1)..];
        Assert.Equal($"/api/runs/{runId}/outputs/{outputId}", outputs[1].GetProperty("url").GetString());
        await AssertDownloadAsync(fromPage, "<script>.html", content);
        await AssertDownloadAsync(fromApi, "<script>.html", content);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Null(image.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task Another_persons_files_and_attachments_are_not_found_on_the_page_addresses_or_the_api()
    {
        using var owner = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var conversationId = (await owner.Person.NewConversationAsync("print('before')")).ConversationId;
        var runId = await RichOutputRuns.GiveNewestRunFilesAsync(owner.Person, conversationId, ("secret.txt", [1, 2, 3]));
        var attachmentId = await AttachAsync(owner.Person, conversationId, "secret-input.txt", [4, 5, 6]);
        var href = (await owner.Person.GetAsync($"/Conversations/{conversationId}")).Single("a.file-download").GetAttribute("href")!;
        var outputId = href[(href.LastIndexOf('/') + 1)..];
        var otherConversationId = (await owner.Person.NewConversationAsync("print(2)")).ConversationId;

        string[] pageAddresses = [href, $"/Conversations/{conversationId}/attachments/{attachmentId}"];
        string[] apiAddresses = [$"/api/runs/{runId}/outputs/{outputId}", $"/api/conversations/{conversationId}/attachments/{attachmentId}"];
        foreach (var address in pageAddresses)
        {
            using var theirs = await stranger.Person.Http.GetAsync(address);
            using var wrongConversation = await owner.Person.Http.GetAsync(address.Replace($"/{conversationId}/", $"/{otherConversationId}/", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, wrongConversation.StatusCode);
        }
        foreach (var address in apiAddresses)
        {
            using var theirs = await stranger.Http.GetAsync(address);
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }
        using var mine = await owner.Http.GetAsync(apiAddresses[0]);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task The_admins_read_only_view_names_a_runs_files_without_a_way_to_download_them()
    {
        using var owner = await Admin.AdminAccounts.PersonAsync(factory);
        using var admin = await Admin.AdminAccounts.AdminAsync(factory);
        var conversationId = (await owner.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunFilesAsync(owner, conversationId, ("<b>report</b>.txt", [1, 2, 3]));

        var view = await admin.GetAsync($"/Admin/Conversations/{conversationId}");

        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Equal("<b>report</b>.txt", view.Single(".reply-files .file-name").TextContent);
        Assert.Equal("3 B", view.Single(".reply-files .file-size").TextContent);
        Assert.Null(view.Document.QuerySelector(".reply-files a"));
        Assert.Null(view.Document.QuerySelector(".reply-files b"));
    }

    private static Task<long> AttachAsync(ChatClient person, long conversationId, string name, byte[] content) =>
        person.WithServicesAsync(async services =>
        {
            var userId = (await person.GetUserAsync()).Id;
            using var stream = new MemoryStream(content);
            var outcome = await services.GetRequiredService<AttachmentService>().AttachAsync(userId, conversationId, name, stream);
            return Assert.IsType<AttachOutcome.Attached>(outcome).Attachment.Id;
        });

    /// <summary>
    /// The response is the bytes as a download: octet-stream, attachment, no sniffing, sandboxed, and a
    /// Content-Disposition whose only quotes are its own, with no raw character of the name that could end it early.
    /// </summary>
    internal static async Task AssertDownloadAsync(HttpResponseMessage response, string expectedName, byte[] content)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        var raw = Assert.Single(response.Content.Headers.GetValues("Content-Disposition"));
        Assert.StartsWith("attachment;", raw, StringComparison.Ordinal);
        Assert.DoesNotContain('<', raw);
        Assert.DoesNotContain('>', raw);
        Assert.DoesNotContain('/', raw);
        Assert.DoesNotContain('\\', raw);
        Assert.True(raw.Count(c => c == '"') <= 2, raw);
        Assert.True(raw.All(c => c is >= ' ' and <= '~'), raw);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(expectedName, disposition.FileNameStar);
        Assert.Equal(2, disposition.Parameters.Count);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }
}
