using System.Net;
using System.Text;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class AttachmentPageTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private const string MiB = "MiB";

    [Fact]
    public async Task A_file_is_attached_listed_downloaded_and_removed_through_the_chat_page_without_script()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");
        var conversationId = chat.ConversationId;
        var content = Encoding.UTF8.GetBytes("n,square\n1,1\n2,4\n");

        var attached = await person.PostFileFormAsync(chat, "form#attach", "file", "data.csv", content);

        Assert.Equal(HttpStatusCode.OK, attached.Status);
        Assert.Equal($"/Conversations/{conversationId}", attached.Url);
        var status = attached.Single(".status-message").TextContent;
        Assert.Contains("Attached data.csv (17 B)", status, StringComparison.Ordinal);
        Assert.Contains("inputs/data.csv", status, StringComparison.Ordinal);
        Assert.Contains("live session", status, StringComparison.Ordinal);
        var item = Assert.Single(attached.All("#attachments li.attachment"));
        var link = item.QuerySelector("a.attachment-download")!;
        Assert.Equal("data.csv", link.TextContent);
        Assert.Equal("17 B", item.QuerySelector(".attachment-size")!.TextContent);
        Assert.Matches($"^/Conversations/{conversationId}/attachments/[0-9]+$", link.GetAttribute("href"));

        using (var download = await person.Http.GetAsync(link.GetAttribute("href")))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        }

        var removed = await person.PostFormAsync(attached, "#attachments form.attachment-remove");

        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Contains("Removed data.csv", removed.Single(".status-message").TextContent, StringComparison.Ordinal);
        Assert.Empty(removed.All("#attachments li.attachment"));
        Assert.Equal("No files attached.", removed.Single(".attachments-none").TextContent);
        using var gone = await person.Http.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_upload_form_states_the_limits_and_where_messages_find_the_files()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var form = chat.Single("form#attach");
        var limits = chat.Single("#attachments-limits").TextContent;

        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        var input = form.QuerySelector("input[type=file]")!;
        Assert.Equal("file", input.GetAttribute("name"));
        Assert.NotNull(chat.Document.QuerySelector($"label[for={input.Id}]"));
        Assert.Contains($"5 {MiB} each, 20 {MiB} per conversation", limits, StringComparison.Ordinal);
        Assert.Contains("messages read them from inputs/NAME", limits, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_the_same_name_replaces_the_attached_one()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        await person.PostFileFormAsync(chat, "form#attach", "file", "notes.txt", Encoding.UTF8.GetBytes("old"));
        var again = await person.PostFileFormAsync(chat, "form#attach", "file", "notes.txt", Encoding.UTF8.GetBytes("newer"));

        Assert.StartsWith("Replaced notes.txt (5 B)", again.Single(".status-message").TextContent, StringComparison.Ordinal);
        var item = Assert.Single(again.All("#attachments li.attachment"));
        Assert.Equal("5 B", item.QuerySelector(".attachment-size")!.TextContent);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_the_reason_and_nothing_is_attached()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var refused = await person.PostFileFormAsync(chat, "form#attach", "file", "big.bin", new byte[5 * 1024 * 1024 + 1]);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal($"/Conversations/{chat.ConversationId}", refused.Url);
        Assert.Equal(
            $"Nothing was attached: big.bin is larger than 5 {MiB}, the most one attachment may be.",
            refused.Single(".status-message").TextContent);
        Assert.Empty(refused.All("#attachments li.attachment"));
    }

    [Fact]
    public async Task An_upload_far_over_the_limit_is_stopped_early_and_told_why()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var refused = await person.PostFileFormAsync(chat, "form#attach", "file", "huge.bin", new byte[8 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal($"/Conversations/{chat.ConversationId}", refused.Url);
        Assert.Equal($"Nothing was attached: the upload is larger than 5 {MiB}, the most one attachment may be.", refused.Single(".status-message").TextContent);
        Assert.Empty(refused.All("#attachments li.attachment"));
    }

    [Fact]
    public async Task A_conversation_with_its_most_files_refuses_another_and_says_to_remove_one()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");
        for (var i = 0; i < 20; i++)
        {
            await person.PostFileFormAsync(chat, "form#attach", "file", $"f{i}.txt", [(byte)i]);
        }

        var refused = await person.PostFileFormAsync(chat, "form#attach", "file", "one-more.txt", [1]);

        Assert.Contains("Remove one first", refused.Single(".status-message").TextContent, StringComparison.Ordinal);
        Assert.Equal(20, refused.All("#attachments li.attachment").Count);
    }

    [Fact]
    public async Task Sending_no_file_asks_for_one()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var page = await person.PostFormAsync(chat, "form#attach");

        Assert.Equal("Choose a file to attach.", page.Single(".status-message").TextContent);
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_token_is_refused()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = (await person.NewConversationAsync("print(1)")).ConversationId;
        using var body = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.bin" } };

        using var response = await person.Http.PostAsync($"/Conversations/{conversationId}?handler=Attach", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await person.GetAsync($"/Conversations/{conversationId}");
        Assert.Empty(page.All("#attachments li.attachment"));
    }

    [Fact]
    public async Task A_hostile_file_name_is_shown_as_text()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");
        const string name = "<img src=x onerror=alert(1)>&amp;.txt";

        var page = await person.PostFileFormAsync(chat, "form#attach", "file", name, [1]);

        Assert.Equal(name, page.Single("#attachments a.attachment-download").TextContent);
        Assert.Equal("inputs/" + name, page.Single("#attachments .attachment-path").TextContent);
        Assert.Contains(name, page.Single(".status-message").TextContent, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("img[onerror]"));
        Assert.DoesNotContain("<img src=x", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_persons_attachments_cannot_be_listed_added_downloaded_or_removed()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var stranger = await ChatClient.RegisterAsync(factory);
        var chat = await owner.NewConversationAsync("print(1)");
        var conversationId = chat.ConversationId;
        var attached = await owner.PostFileFormAsync(chat, "form#attach", "file", "secret.txt", Encoding.UTF8.GetBytes("secret"));
        var href = attached.Single("a.attachment-download").GetAttribute("href")!;
        var attachmentId = href[(href.LastIndexOf('/') + 1)..];
        // The stranger's own page gives them valid forms; they point them at the owner's conversation.
        var own = await stranger.NewConversationAsync("print(2)");
        var theirAttach = new Uri($"/Conversations/{conversationId}?handler=Attach", UriKind.Relative);
        var theirRemove = new Uri($"/Conversations/{conversationId}?handler=RemoveAttachment", UriKind.Relative);
        await stranger.PostFileFormAsync(own, "form#attach", "file", "mine.txt", [1]);
        var ownWithFile = await stranger.GetAsync($"/Conversations/{own.ConversationId}");

        using var download = await stranger.Http.GetAsync(href);
        var page = await stranger.GetAsync($"/Conversations/{conversationId}");
        var add = await stranger.PostFileFormAsync(own, "form#attach", "file", "planted.txt", [1], theirAttach);
        var remove = await stranger.PostFormAsync(ownWithFile, "form.attachment-remove", new() { ["attachmentId"] = attachmentId }, theirRemove);

        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(HttpStatusCode.NotFound, add.Status);
        Assert.Equal(HttpStatusCode.NotFound, remove.Status);
        var still = await owner.GetAsync($"/Conversations/{conversationId}");
        Assert.Equal(["secret.txt"], still.All("#attachments a.attachment-download").Select(a => a.TextContent));
    }

    [Fact]
    public async Task An_attachment_is_not_found_at_another_conversations_address()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");
        var other = await person.NewConversationAsync("print(2)");
        var attached = await person.PostFileFormAsync(chat, "form#attach", "file", "a.txt", [1]);
        var href = attached.Single("a.attachment-download").GetAttribute("href")!;

        using var elsewhere = await person.Http.GetAsync(href.Replace($"/{chat.ConversationId}/", $"/{other.ConversationId}/", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }
}

/// <summary>The app on real Kestrel, whose request body limit is what stops an oversized upload in production.</summary>
public sealed class KestrelChatAppFactory : ChatAppFactory
{
    public KestrelChatAppFactory()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }
}

public class AttachmentUploadOnKestrelTests(KestrelChatAppFactory factory) : IClassFixture<KestrelChatAppFactory>
{
    [Fact]
    public async Task An_upload_far_over_the_limit_is_stopped_by_kestrel_and_the_page_says_why()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var refused = await person.PostFileFormAsync(chat, "form#attach", "file", "huge.bin", new byte[12 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal($"/Conversations/{chat.ConversationId}", refused.Url);
        Assert.Equal("Nothing was attached: the upload is larger than 5 MiB, the most one attachment may be.", refused.Single(".status-message").TextContent);
        Assert.Empty(refused.All("#attachments li.attachment"));
    }

    [Fact]
    public async Task A_file_just_over_the_limit_still_reaches_the_check_that_names_it()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var chat = await person.NewConversationAsync("print(1)");

        var refused = await person.PostFileFormAsync(chat, "form#attach", "file", "big.bin", new byte[5 * 1024 * 1024 + 100]);

        Assert.Equal("Nothing was attached: big.bin is larger than 5 MiB, the most one attachment may be.", refused.Single(".status-message").TextContent);
    }
}
