using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Core.Sharing;

namespace CodeChatter.Tests.Web.Api;

/// <summary><c>POST /api/conversations/{id}/shares</c>, <c>GET /api/shares</c>, <c>DELETE /api/shares/{id}</c>.</summary>
public class ShareApiTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_link_is_made_with_its_address_and_expiry_and_opens_the_conversation()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print('via api')")).GetProperty("conversationId").GetInt64();

        using var response = await api.Http.PostAsJsonAsync($"/api/conversations/{conversationId}/shares", new { expiresInDays = 7 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = link.GetProperty("token").GetString()!;
        var url = link.GetProperty("url").GetString()!;
        Assert.True(ShareTokens.IsWellFormed(token));
        Assert.EndsWith($"/s/{token}", url);
        Assert.Equal(url, response.Headers.Location?.ToString());
        var created = link.GetProperty("createdAt").GetDateTime();
        Assert.Equal(created.AddDays(7), link.GetProperty("expiresAt").GetDateTime());
        Assert.Equal("live", link.GetProperty("state").GetString());
        var page = await ChatClient.Anonymous(factory).GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("via api", page.Html);
    }

    [Fact]
    public async Task Without_a_body_a_link_never_expires_and_a_bad_expiry_is_a_400_naming_the_field()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();

        using var plain = await api.Http.PostAsync($"/api/conversations/{conversationId}/shares", null);
        using var tooLong = await api.Http.PostAsJsonAsync($"/api/conversations/{conversationId}/shares", new { expiresInDays = 366 });
        using var zero = await api.Http.PostAsJsonAsync($"/api/conversations/{conversationId}/shares", new { expiresInDays = 0 });

        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await plain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").ValueKind);
        foreach (var refused in new[] { tooLong, zero })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await ApiClient.ProblemAsync(refused)).GetProperty("errors").TryGetProperty("expiresInDays", out _));
        }
    }

    [Fact]
    public async Task Someone_elses_conversation_and_link_are_404_and_the_list_is_only_mine()
    {
        using var ann = await ApiClient.CreateAsync(factory);
        using var bob = await ApiClient.CreateAsync(factory);
        var annsConversation = (await ann.RunOkAsync("print('ann')")).GetProperty("conversationId").GetInt64();
        using var made = await ann.Http.PostAsync($"/api/conversations/{annsConversation}/shares", null);
        var annsLink = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var bobMakes = await bob.Http.PostAsync($"/api/conversations/{annsConversation}/shares", null);
        using var bobRevokes = await bob.Http.DeleteAsync($"/api/shares/{annsLink}");
        var bobsList = await bob.Http.GetFromJsonAsync<JsonElement>("/api/shares");
        var annsList = await ann.Http.GetFromJsonAsync<JsonElement>("/api/shares");

        Assert.Equal(HttpStatusCode.NotFound, bobMakes.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobRevokes.StatusCode);
        Assert.Equal(0, bobsList.GetArrayLength());
        Assert.Equal(annsLink, Assert.Single(annsList.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal("live", annsList[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Revoking_answers_204_and_the_link_stops_opening()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();
        using var made = await api.Http.PostAsync($"/api/conversations/{conversationId}/shares", null);
        var link = await made.Content.ReadFromJsonAsync<JsonElement>();

        using var revoked = await api.Http.DeleteAsync($"/api/shares/{link.GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var page = await ChatClient.Anonymous(factory).GetAsync($"/s/{link.GetProperty("token").GetString()}");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        var list = await api.Http.GetFromJsonAsync<JsonElement>("/api/shares");
        Assert.Equal("revoked", list[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_signed_in_browser_without_a_token_gets_401()
    {
        using var person = await ChatClient.RegisterAsync(factory);

        using var response = await person.Http.GetAsync("/api/shares");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_share_endpoints()
    {
        using var http = factory.CreateClient();

        var paths = (await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/conversations/{id}/shares").TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(paths.GetProperty("/api/shares").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/shares/{id}").TryGetProperty("delete", out _));
    }
}
