using System.Net;
using CodeChatter.Tests.Web.Admin;
using CodeChatter.Tests.Web.Api;

namespace CodeChatter.Tests.Web.Pages;

public class NotFoundTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Someone_elses_conversation_is_a_styled_not_found_page_with_a_way_back()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var conversation = (await owner.NewConversationAsync("print(1)")).ConversationId;
        using var stranger = await ChatClient.RegisterAsync(factory);

        var page = await stranger.GetAsync($"/Conversations/{conversation}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Single("main h1").TextContent);
        Assert.NotNull(page.Document.QuerySelector("nav.site-nav"));
        Assert.Equal("/Conversations", page.Single(".error-actions a").GetAttribute("href"));
        Assert.DoesNotContain("Status Code", page.Html);
    }

    [Fact]
    public async Task An_unknown_address_is_a_not_found_page_inside_the_layout_even_when_signed_out()
    {
        using var visitor = ChatClient.Anonymous(factory);

        var page = await visitor.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Single("main h1").TextContent);
        Assert.Equal("/", page.Single(".error-actions a").GetAttribute("href"));
    }

    [Fact]
    public async Task The_admin_area_is_the_same_not_found_page_for_someone_who_is_not_an_admin()
    {
        using var person = await AdminAccounts.PersonAsync(factory);

        var page = await person.GetAsync("/Admin/Users");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Single("main h1").TextContent);
    }

    [Fact]
    public async Task Under_api_a_missing_address_is_still_problem_json()
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.Http.GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
