using System.Net;

namespace CodeChatter.Tests.Web;

public class AntiforgeryTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Every_form_on_the_main_pages_carries_an_antiforgery_token()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");
        var id = chat.ConversationId;
        string[] urls = ["/", "/Conversations", "/Conversations/New", $"/Conversations/{id}", $"/Conversations/{id}/Rename", $"/Conversations/{id}/Delete", "/Identity/Account/Manage"];

        foreach (var url in urls)
        {
            var page = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var postForms = page.All("form").Where(f => !string.Equals(f.GetAttribute("method"), "get", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.NotEmpty(postForms);
            Assert.All(postForms, form => Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]")));
        }
    }

    [Fact]
    public async Task Every_form_on_the_sign_in_pages_carries_an_antiforgery_token()
    {
        using var client = ChatClient.Anonymous(factory);

        foreach (var url in new[] { "/Identity/Account/Login", "/Identity/Account/Register" })
        {
            var page = await client.GetAsync(url);
            Assert.All(page.All("form[method=post]"), form => Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]")));
        }
    }

    [Fact]
    public async Task A_post_without_the_token_is_refused()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var chat = await client.NewConversationAsync("print(1)");

        using var response = await client.Http.PostAsync($"/Conversations/{chat.ConversationId}?handler=RerunAll", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
