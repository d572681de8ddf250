using System.Net;

namespace CodeChatter.Tests.Web.Pages;

public class ErrorTests(BrokenQuotaAppFactory factory) : IClassFixture<BrokenQuotaAppFactory>
{
    [Fact]
    public async Task A_page_that_fails_shows_the_error_page_without_promising_that_my_work_was_kept()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("print(1)");

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("Something went wrong", page.Single("h1").TextContent);
        Assert.DoesNotContain("safe", page.Single("main").TextContent);
        Assert.DoesNotContain("SQLite", page.Html);
    }
}
