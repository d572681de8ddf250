using System.Net;
using CodeChatter.Tests.Web.Admin;

namespace CodeChatter.Tests.Web.Pages.Search;

public class IndexTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_person_finds_their_own_reply_with_the_match_marked_and_the_markup_encoded()
    {
        using var ada = await AdminAccounts.PersonAsync(factory);
        var chat = await ada.NewConversationAsync("print('<script>alert(1)</script> gecko')", title: "XSS <b>probe</b>");
        var executionId = long.Parse(chat.Single(".reply").GetAttribute("data-execution-id")!);

        var page = await ada.GetAsync("/Search?q=alert");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var hit = page.Single(".search-hit");
        Assert.Equal(["alert"], hit.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.Empty(hit.QuerySelectorAll("script, b"));
        Assert.Contains("&lt;script&gt;", hit.QuerySelector(".search-hit-excerpt")!.InnerHtml);
        Assert.Equal("XSS <b>probe</b>", hit.QuerySelector(".search-hit-title a")!.TextContent);
        Assert.Equal($"/Conversations/{chat.ConversationId}?all=True#execution-{executionId}", hit.QuerySelector(".search-hit-title a")!.GetAttribute("href"));
        Assert.Equal("succeeded", hit.QuerySelector("[data-status]")!.GetAttribute("data-status"));
    }

    [Fact]
    public async Task Two_people_never_see_each_others_hits_and_the_admin_sees_both_and_whose()
    {
        using var ada = await AdminAccounts.PersonAsync(factory);
        using var bob = await AdminAccounts.PersonAsync(factory);
        using var admin = await AdminAccounts.AdminAsync(factory);
        await ada.NewConversationAsync("print('capybara ada')");
        await bob.NewConversationAsync("print('capybara bob')");

        var adas = await ada.GetAsync("/Search?q=capybara");
        var bobs = await bob.GetAsync("/Search?q=capybara");
        var everyone = await admin.GetAsync("/Admin/Search?q=capybara");
        var refused = await ada.GetAsync("/Admin/Search?q=capybara");

        Assert.Single(adas.All(".search-hit"));
        Assert.DoesNotContain("bob", adas.Single(".search-hit-excerpt").TextContent);
        Assert.Single(bobs.All(".search-hit"));
        Assert.DoesNotContain("ada", bobs.Single(".search-hit-excerpt").TextContent);
        Assert.Equal([bob.Email, ada.Email], everyone.All(".search-hit-owner").Select(a => a.TextContent));
        Assert.All(everyone.All(".search-hit-title a"), a => Assert.StartsWith("/Admin/Conversations/", a.GetAttribute("href")));
        Assert.Empty((await admin.GetAsync("/Search?q=capybara")).All(".search-hit"));
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("*")]
    [InlineData("col:")]
    [InlineData("^")]
    [InlineData("-only")]
    [InlineData("a\" OR \"b")]
    public async Task A_hostile_query_gets_a_page_never_an_error(string query)
    {
        using var person = await AdminAccounts.PersonAsync(factory);

        var page = await person.GetAsync("/Search?q=" + Uri.EscapeDataString(query));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.Document.QuerySelector("#search-empty, #search-error") is not null, page.Html);
    }

    [Fact]
    public async Task A_query_the_search_cannot_read_says_so_and_an_empty_one_asks_for_words()
    {
        using var person = await AdminAccounts.PersonAsync(factory);

        var refused = await person.GetAsync("/Search?q=-only");
        var empty = await person.GetAsync("/Search");

        Assert.Contains("could not understand", refused.Single("#search-error").TextContent);
        Assert.Contains("Type something", empty.Single("#search-empty").TextContent);
    }

    [Fact]
    public async Task Every_signed_in_page_has_a_labelled_search_box_that_gets_the_search_page()
    {
        using var person = await AdminAccounts.PersonAsync(factory);
        using var anonymous = ChatClient.Anonymous(factory);

        var home = await person.GetAsync("/Conversations");
        var form = home.Single("form#site-search");

        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/Search", form.GetAttribute("action"));
        Assert.NotNull(home.Document.QuerySelector("label[for='site-search-q']"));
        Assert.Equal("q", home.Single("#site-search-q").GetAttribute("name"));
        Assert.Null((await anonymous.GetAsync("/")).Document.QuerySelector("form#site-search"));
    }

    [Fact]
    public async Task The_filters_and_the_pager_keep_the_query()
    {
        using var person = await AdminAccounts.PersonAsync(factory);
        var chat = await person.NewConversationAsync("print('tenrec')");
        for (var i = 0; i < 20; i++)
        {
            await person.WithDbAsync(async db =>
            {
                // Stored runs without running them: the pager needs more than one page of hits.
                var snippet = db.Snippets.Single(s => s.ConversationId == chat.ConversationId);
                db.Executions.Add(new CodeChatter.Data.Entities.Execution
                {
                    SnippetId = snippet.Id, OwnerId = db.Conversations.Single(c => c.Id == chat.ConversationId).OwnerId, Status = CodeChatter.Core.Execution.RunStatus.Failed, FinishedAt = DateTime.UtcNow, Stdout = "tenrec",
                });
                return await db.SaveChangesAsync();
            });
        }

        var first = await person.GetAsync("/Search?q=tenrec");
        var failed = await person.GetAsync("/Search?q=tenrec&status=failed&order=rank&pageNumber=2");

        Assert.Equal("21 matches", first.Single("#search-count").TextContent);
        Assert.Equal(20, first.All(".search-hit").Count);
        Assert.Contains("q=tenrec", first.Single(".pager a[rel=next]").GetAttribute("href"));
        Assert.Equal("20 matches", failed.Single("#search-count").TextContent);
        Assert.Equal("failed", failed.Single("#search-status option[selected]").GetAttribute("value"));
        Assert.Equal("rank", failed.Single("#search-order option[selected]").GetAttribute("value"));
        Assert.Equal("tenrec", failed.Single("#search-q").GetAttribute("value"));
    }
}
