using Microsoft.EntityFrameworkCore;

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
    public async Task A_title_with_a_NUL_character_is_refused_and_nothing_is_stored()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var form = await client.GetAsync("/Conversations/New");

        using var response = await client.PostFormAsScriptAsync(form, "form#compose", new() { ["Title"] = "before\0after", ["Input.Code"] = "print(1)" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NUL character", await response.Content.ReadAsStringAsync());
        var userId = (await client.GetUserAsync()).Id;
        Assert.False(await client.WithDbAsync(db => db.Conversations.AnyAsync(c => c.OwnerId == userId)));
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
