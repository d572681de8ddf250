using System.Net;
using CodeChatter.Tests.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Account;

public class TokensTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_new_token_is_shown_once_and_works_with_the_api()
    {
        using var person = await ChatClient.RegisterAsync(factory);

        var created = await person.PostFormAsync("/Account/Tokens", "form#create-token", new() { ["Input.Name"] = "laptop" });
        var token = created.Single("#new-token").TextContent;
        var later = await person.GetAsync("/Account/Tokens");

        Assert.Matches("^cc_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$", token);
        Assert.Contains("Copy it now", created.Single(".status-message").TextContent);
        Assert.Equal("new-token", created.Single("button.copy-button").GetAttribute("data-copy-target"));
        Assert.Null(later.Document.QuerySelector("#new-token"));
        Assert.Null(later.Document.QuerySelector(".status-message"));
        Assert.DoesNotContain(token, later.Html);
        Assert.Equal("laptop", later.Single("tr.token-row td").TextContent);
        using var http = ApiClient.WithToken(factory, token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/conversations")).StatusCode);
        Assert.NotEqual("never", (await person.GetAsync("/Account/Tokens")).Single("tr.token-row td:nth-child(4)").TextContent);
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        using var person = await ChatClient.RegisterAsync(factory);

        var page = await person.PostFormAsync("/Account/Tokens", "form#create-token", new() { ["Input.Name"] = "" });

        Assert.Null(page.Document.QuerySelector("#new-token"));
        Assert.NotEmpty(page.Single("[data-valmsg-for='Input.Name']").TextContent);
    }

    [Fact]
    public async Task A_revoked_token_stops_working()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var created = await person.PostFormAsync("/Account/Tokens", "form#create-token", new() { ["Input.Name"] = "script" });
        var token = created.Single("#new-token").TextContent;

        var list = await person.GetAsync("/Account/Tokens");
        var revoked = await person.PostFormAsync(list, "form.revoke-token");

        // The Revoke form sits behind a <details> disclosure: a second, deliberate step, with or without script.
        Assert.Equal("DETAILS", list.Single("form.revoke-token").ParentElement!.TagName);
        Assert.StartsWith("revoked", revoked.Single("td.token-state").TextContent);
        using var http = ApiClient.WithToken(factory, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/conversations")).StatusCode);
    }

    [Fact]
    public async Task Someone_elses_token_cannot_be_revoked()
    {
        using var owner = await ApiClient.CreateAsync(factory);
        using var other = await ChatClient.RegisterAsync(factory);
        await other.PostFormAsync("/Account/Tokens", "form#create-token", new() { ["Input.Name"] = "mine" });
        var ownerId = (await owner.Person.GetUserAsync()).Id;
        var ownerTokenId = await owner.Person.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == ownerId).Select(t => t.Id).SingleAsync());
        var page = await other.GetAsync("/Account/Tokens");
        page.Single("form.revoke-token input[name=tokenId]").SetAttribute("value", ownerTokenId.ToString());

        var result = await other.PostFormAsync(page, "form.revoke-token");

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/api/conversations")).StatusCode);
    }
}
