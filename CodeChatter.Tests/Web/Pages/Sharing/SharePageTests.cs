using System.Net;
using System.Text;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Sharing;
using Microsoft.EntityFrameworkCore;
using static CodeChatter.Tests.Web.Pages.Sharing.ShareSteps;

namespace CodeChatter.Tests.Web.Pages.Sharing;

/// <summary>The public page of a share link, and the chat page's share panel that makes one.</summary>
public class SharePageTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Someone_not_signed_in_reads_the_conversation_its_notes_and_replies_with_no_form_and_nothing_of_the_owners()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner, "print('hello share')", "Shared title");
        await NoteAsync(owner, id, "A **bold** note");
        var token = await ShareAsync(owner, id);
        using var stranger = ChatClient.Anonymous(factory);

        using var response = await stranger.Http.GetAsync($"/s/{token}");
        var page = await ChatClient.Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Shared title", page.Single("h1#conversation-title").TextContent);
        Assert.Contains("print('hello share')", page.Single("li.message-code pre.code").TextContent);
        Assert.Contains("hello share", page.Single("article.reply pre[data-stream=stdout]").TextContent);
        Assert.Equal("bold", page.Single("li.message-note .note-body strong").TextContent);
        Assert.Empty(page.All("form"));
        Assert.Empty(page.All(".side-list, .compose, .rerun-form, .rerun-button, .edit-as-new, .edit-note"));
        Assert.DoesNotContain(owner.Email, page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("noindex, nofollow", page.Single("meta[name=robots]").GetAttribute("content"));
        Assert.Contains("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task A_signed_in_viewer_has_one_form_which_copies_the_snippets_and_notes_in_order_without_running_them()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner, "print('first')", "Original");
        await owner.SendAsync(id, "print('second')");
        await NoteAsync(owner, id, "the note");
        var token = await ShareAsync(owner, id);
        using var viewer = await ChatClient.RegisterAsync(factory);

        var shared = await viewer.GetAsync($"/s/{token}");
        Assert.Equal("copy-conversation", Assert.Single(shared.Document.QuerySelectorAll("main form")).Id);
        var copy = await viewer.PostFormAsync(shared, "form#copy-conversation");

        Assert.Equal(HttpStatusCode.OK, copy.Status);
        Assert.Equal("Copy of Original", copy.Single("h1#conversation-title").TextContent);
        var copyId = copy.ConversationId;
        Assert.NotEqual(id, copyId);
        var viewerId = (await viewer.GetUserAsync()).Id;
        var stored = await viewer.WithDbAsync(db => db.Conversations.Where(c => c.Id == copyId)
            .Select(c => new { c.OwnerId, c.Mode, c.DefaultLanguage, Snippets = c.Snippets.OrderBy(s => s.Sequence).Select(s => s.Code).ToList(), Runs = c.Snippets.SelectMany(s => s.Executions).Count() })
            .SingleAsync());
        Assert.Equal(viewerId, stored.OwnerId);
        Assert.Equal(["print('first')", "print('second')", "the note"], stored.Snippets);
        Assert.Equal(0, stored.Runs);
        Assert.Empty(copy.All("article.reply"));
    }

    [Fact]
    public async Task A_copy_without_the_antiforgery_token_or_without_signing_in_makes_nothing()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner, title: "Guarded");
        var token = await ShareAsync(owner, id);
        using var viewer = await ChatClient.RegisterAsync(factory);
        using var stranger = ChatClient.Anonymous(factory);
        var antiforgery = (await viewer.GetAsync($"/s/{token}")).Single("form#copy-conversation input[name=__RequestVerificationToken]").GetAttribute("value")!;

        using var forged = await viewer.Http.PostAsync($"/s/{token}?handler=Copy", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var anonymous = await stranger.Http.PostAsync($"/s/{token}?handler=Copy",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        // The viewer's antiforgery token is not the stranger's: refused before the handler is reached.
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        // With an antiforgery token of their own (from the sign-in page), the stranger is sent to sign in.
        var strangersToken = (await stranger.GetAsync("/Identity/Account/Login")).Single("form input[name=__RequestVerificationToken]").GetAttribute("value")!;
        using var signIn = await stranger.Http.PostAsync($"/s/{token}?handler=Copy",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = strangersToken }));
        Assert.StartsWith("/Identity/Account/Login", signIn.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(0, await owner.WithDbAsync(db => db.Conversations.CountAsync(c => c.Title == "Copy of Guarded")));
    }

    [Fact]
    public async Task An_unknown_a_revoked_and_an_expired_link_are_the_same_plain_404()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);
        var revoked = await ShareAsync(owner, id);
        var expired = await ShareAsync(owner, id, "1");
        await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == revoked).ExecuteUpdateAsync(u => u.SetProperty(l => l.RevokedAt, DateTime.UtcNow)));
        await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == expired).ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        using var stranger = ChatClient.Anonymous(factory);

        var answers = new List<ChatClient.Page>();
        foreach (var token in new[] { ShareTokens.New(), revoked, expired })
        {
            answers.Add(await stranger.GetAsync($"/s/{token}"));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
        Assert.Single(answers.Select(a => a.Single("main").InnerHtml).Distinct());
        Assert.All(answers, a => Assert.DoesNotContain("conversation-title", a.Html));
    }

    [Fact]
    public async Task Every_view_is_counted_and_the_owner_sees_the_count()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);
        var token = await ShareAsync(owner, id);
        using var stranger = ChatClient.Anonymous(factory);

        await stranger.GetAsync($"/s/{token}");
        await stranger.GetAsync($"/s/{token}");

        var link = await owner.WithDbAsync(db => db.ShareLinks.SingleAsync(l => l.Token == token));
        Assert.Equal(2, link.ViewCount);
        Assert.NotNull(link.LastViewedAt);
        var list = await owner.GetAsync("/Account/ShareLinks");
        Assert.Equal("2", list.Single($"tr.share-row[data-share-id='{link.Id}'] td:nth-child(5)").TextContent);
    }

    [Fact]
    public async Task Every_field_a_person_or_a_snippet_wrote_is_inert_on_the_shared_page()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        const string title = "<script>alert('title')</script>";
        var id = await ConversationAsync(owner, "print('<script>alert(1)</script>')  # <img src=x onerror=alert(0)>", title);
        await NoteAsync(owner, id, "<script>alert(3)</script> **note** <img src=x onerror=alert(4)> [x](javascript:alert(5))");
        await GiveNewestRunAsync(owner, id, "<script>alert('out')</script>\n", "<img src=x onerror=alert('err')>\n",
            new RichOutput(RichMediaTypes.Html, Encoding.UTF8.GetBytes("<table><tr><td>42</td></tr></table><script>alert(6)</script><img src=x onerror=alert(7)>"), 0),
            new RichOutput(RichMediaTypes.File, Encoding.UTF8.GetBytes("a,b\n"), 0) { FileName = "<img src=x onerror=alert(8)>.csv" });
        var token = await ShareAsync(owner, id);
        using var stranger = ChatClient.Anonymous(factory);

        var page = await stranger.GetAsync($"/s/{token}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(title, page.Single("h1#conversation-title").TextContent);
        Assert.Contains("<script>alert(1)</script>", page.Single("pre.code").TextContent);
        Assert.Contains("<script>alert('out')</script>", page.Single("pre[data-stream=stdout]").TextContent);
        Assert.Contains("<img src=x onerror=alert('err')>", page.Single("pre[data-stream=stderr]").TextContent);
        Assert.Equal("42", page.Single(".rich-html td").TextContent);
        Assert.Equal("<img src=x onerror=alert(8)>.csv", page.Single(".reply-files .file-name").TextContent);
        // Only the site's own scripts, no element with an event handler, no javascript: link, no injected image.
        Assert.All(page.All("script"), s => Assert.StartsWith("/js/", s.GetAttribute("src") ?? ""));
        Assert.DoesNotContain(page.Document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.Empty(page.All("a[href^='javascript']"));
        Assert.Empty(page.All("main img[src='x']"));
    }

    [Fact]
    public async Task Images_and_files_of_the_shared_conversation_come_from_the_links_own_addresses_and_files_only_as_attachments()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);
        await GiveNewestRunAsync(owner, id, "plot\n", "",
            new RichOutput(RichMediaTypes.Png, RichOutputRuns.Png, 0),
            new RichOutput(RichMediaTypes.File, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), 0) { FileName = "page.html" });
        var token = await ShareAsync(owner, id);
        using var stranger = ChatClient.Anonymous(factory);
        var page = await stranger.GetAsync($"/s/{token}");

        var imageAddress = page.Single("figure.rich-figure img").GetAttribute("src")!;
        var fileAddress = page.Single(".reply-files a.file-download").GetAttribute("href")!;
        Assert.StartsWith($"/s/{token}/outputs/", imageAddress);
        Assert.StartsWith($"/s/{token}/outputs/", fileAddress);

        using var image = await stranger.Http.GetAsync(imageAddress);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RichOutputRuns.Png, await image.Content.ReadAsByteArrayAsync());
        using var file = await stranger.Http.GetAsync(fileAddress);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/octet-stream", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("page.html", file.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", string.Join(",", file.Headers.GetValues("X-Content-Type-Options")));
        Assert.StartsWith("sandbox", string.Join(",", file.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Another_persons_output_under_my_link_and_my_output_under_a_revoked_link_are_not_found()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var other = await ChatClient.RegisterAsync(factory);
        var mine = await ConversationAsync(owner);
        var theirs = await ConversationAsync(other);
        await GiveNewestRunAsync(owner, mine, "", "", new RichOutput(RichMediaTypes.Png, RichOutputRuns.Png, 0));
        await GiveNewestRunAsync(other, theirs, "", "", new RichOutput(RichMediaTypes.Png, RichOutputRuns.Png, 0));
        var myOutput = await owner.WithDbAsync(db => db.ExecutionOutputs.Where(o => o.Execution!.Snippet!.ConversationId == mine).Select(o => o.Id).SingleAsync());
        var theirOutput = await owner.WithDbAsync(db => db.ExecutionOutputs.Where(o => o.Execution!.Snippet!.ConversationId == theirs).Select(o => o.Id).SingleAsync());
        var token = await ShareAsync(owner, mine);
        using var stranger = ChatClient.Anonymous(factory);

        using (var found = await stranger.Http.GetAsync($"/s/{token}/outputs/{myOutput}")) Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        using (var foreign = await stranger.Http.GetAsync($"/s/{token}/outputs/{theirOutput}")) Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == token).ExecuteUpdateAsync(u => u.SetProperty(l => l.RevokedAt, DateTime.UtcNow)));
        using (var dead = await stranger.Http.GetAsync($"/s/{token}/outputs/{myOutput}")) Assert.Equal(HttpStatusCode.NotFound, dead.StatusCode);
    }

    [Fact]
    public async Task Only_the_owner_can_make_or_revoke_a_link_to_a_conversation()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var other = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);
        var token = await ShareAsync(owner, id);
        var linkId = await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == token).Select(l => l.Id).SingleAsync());
        var otherChat = await other.GetAsync($"/Conversations/{await ConversationAsync(other)}");
        var antiforgery = otherChat.Single("form#share-create input[name=__RequestVerificationToken]").GetAttribute("value")!;

        using var make = await other.Http.PostAsync($"/Conversations/{id}/Share?handler=Create",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery, ["expiresInDays"] = "" }));
        using var revoke = await other.Http.PostAsync($"/Conversations/{id}/Share?handler=Revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery, ["linkId"] = linkId.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var othersList = await other.GetAsync("/Account/ShareLinks");

        Assert.Equal(HttpStatusCode.NotFound, make.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Empty(othersList.All($"tr.share-row[data-share-id='{linkId}']"));
        Assert.Equal(1, await owner.WithDbAsync(db => db.ShareLinks.CountAsync(l => l.ConversationId == id)));
        Assert.Null(await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Id == linkId).Select(l => l.RevokedAt).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/s/{token}")).Status);
    }

    [Fact]
    public async Task The_owner_revokes_a_link_from_their_list_and_it_stops_opening()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner, title: "Listed");
        var token = await ShareAsync(owner, id, "30");
        var linkId = await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == token).Select(l => l.Id).SingleAsync());

        var list = await owner.GetAsync("/Account/ShareLinks");
        var row = list.Single($"tr.share-row[data-share-id='{linkId}']");
        Assert.Equal("live", row.GetAttribute("data-state"));
        Assert.Contains(token, row.TextContent);
        Assert.Contains("Listed", row.TextContent);
        var after = await owner.PostFormAsync(list, $"tr.share-row[data-share-id='{linkId}'] form.revoke-share");

        Assert.Equal("revoked", after.Single($"tr.share-row[data-share-id='{linkId}']").GetAttribute("data-state"));
        Assert.Equal(HttpStatusCode.NotFound, (await ChatClient.Anonymous(factory).GetAsync($"/s/{token}")).Status);
    }

    [Fact]
    public async Task The_owner_revokes_a_link_from_the_chat_pages_share_panel()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);
        var token = await ShareAsync(owner, id);
        var linkId = await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == token).Select(l => l.Id).SingleAsync());

        var after = await owner.PostFormAsync($"/Conversations/{id}", $"li.share-link[data-share-id='{linkId}'] form.revoke-share");

        Assert.Equal($"/Conversations/{id}?share=open", after.Url);
        Assert.Empty(after.All("li.share-link"));
        Assert.Equal(HttpStatusCode.NotFound, (await ChatClient.Anonymous(factory).GetAsync($"/s/{token}")).Status);
    }

    [Fact]
    public async Task A_link_is_128_random_bits_and_every_link_has_its_own()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var id = await ConversationAsync(owner);

        var first = await ShareAsync(owner, id);
        var second = await ShareAsync(owner, id);

        Assert.NotEqual(first, second);
        Assert.All(new[] { first, second }, t => Assert.Equal(16, Convert.FromBase64String(t.Replace('-', '+').Replace('_', '/') + "==").Length));
        var hashes = await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.ConversationId == id).Select(l => l.TokenHash).ToListAsync());
        Assert.Equal(2, hashes.Select(Convert.ToHexString).Distinct().Count());
    }
}
