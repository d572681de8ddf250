namespace CodeChatter.Tests.Web.Pages.Conversations;

public class NewTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_new_conversation_is_titled_after_its_first_line_of_code_when_no_title_is_given()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("\n  print('title me')\nprint(2)");

        Assert.Equal("print('title me')", page.Single("#conversation-title").TextContent);
    }

    [Fact]
    public async Task Empty_code_keeps_me_on_the_form_with_my_title()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("", title: "keep this title");

        Assert.StartsWith("/Conversations/New", page.Url);
        Assert.Equal("keep this title", page.Single("input#Title").GetAttribute("value"));
        Assert.Contains("Write some code first.", page.Single("[data-valmsg-for='Input.Code']").TextContent);
    }

    [Fact]
    public async Task The_language_list_offers_the_available_languages()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.GetAsync("/Conversations/New");

        var options = page.All("select#language option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("python", options);
        Assert.Equal("Code", page.Single("label[for=code]").TextContent);
    }
}
