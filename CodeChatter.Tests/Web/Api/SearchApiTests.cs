using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodeChatter.Tests.Web.Api;

public class SearchApiTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_token_finds_its_owners_runs_only_with_the_match_marked()
    {
        using var ada = await ApiClient.CreateAsync(factory);
        using var bob = await ApiClient.CreateAsync(factory);
        var adas = await ada.RunOkAsync("print('<i>numbat</i> ada')");
        await bob.RunOkAsync("print('numbat bob')");

        var found = await ada.Http.GetFromJsonAsync<JsonElement>("/api/search?q=numbat");

        Assert.Equal(1, found.GetProperty("totalItems").GetInt32());
        var hit = found.GetProperty("hits")[0];
        Assert.Equal(adas.GetProperty("id").GetInt64(), hit.GetProperty("executionId").GetInt64());
        Assert.Equal(adas.GetProperty("conversationId").GetInt64(), hit.GetProperty("conversationId").GetInt64());
        Assert.Equal("succeeded", hit.GetProperty("status").GetString());
        var marked = hit.GetProperty("excerptParts").EnumerateArray().Where(p => p.GetProperty("isMatch").GetBoolean()).Select(p => p.GetProperty("text").GetString());
        Assert.Equal(["numbat"], marked.Distinct());
        Assert.Contains("<i>", hit.GetProperty("excerpt").GetString());
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("*")]
    [InlineData("col:")]
    [InlineData("^")]
    public async Task A_hostile_query_is_answered_never_a_server_error(string query)
    {
        using var person = await ApiClient.CreateAsync(factory);

        using var response = await person.Http.GetAsync("/api/search?q=" + Uri.EscapeDataString(query));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query} answered {response.StatusCode}");
    }

    [Fact]
    public async Task A_query_that_cannot_be_read_or_is_missing_is_a_400_problem_naming_q()
    {
        using var person = await ApiClient.CreateAsync(factory);

        using var exclusionsOnly = await person.Http.GetAsync("/api/search?q=-word");
        using var missing = await person.Http.GetAsync("/api/search");

        Assert.Equal(HttpStatusCode.BadRequest, exclusionsOnly.StatusCode);
        Assert.Contains("could not understand", (await ApiClient.ProblemAsync(exclusionsOnly)).GetProperty("errors").GetProperty("q")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(missing)).GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task Filters_and_pages_are_read_from_the_query_string()
    {
        using var person = await ApiClient.CreateAsync(factory);
        await person.RunOkAsync("print('dugong')");
        await person.RunOkAsync("raise SystemExit('dugong')");

        var failed = await person.Http.GetFromJsonAsync<JsonElement>("/api/search?q=dugong&status=failed&order=rank");
        var other = await person.Http.GetFromJsonAsync<JsonElement>("/api/search?q=dugong&language=bash");
        var later = await person.Http.GetFromJsonAsync<JsonElement>($"/api/search?q=dugong&from={DateTime.UtcNow.AddDays(2):yyyy-MM-dd}");
        var page = await person.Http.GetFromJsonAsync<JsonElement>("/api/search?q=dugong&page=5");

        Assert.Equal(["failed"], failed.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        Assert.Equal(0, other.GetProperty("totalItems").GetInt32());
        Assert.Equal(0, later.GetProperty("totalItems").GetInt32());
        Assert.Equal((1, 2), (page.GetProperty("page").GetInt32(), page.GetProperty("hits").GetArrayLength()));
    }

    [Fact]
    public async Task Only_a_bearer_token_is_accepted_and_the_openapi_document_describes_search()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        using var anonymous = ApiClient.WithToken(factory, null);

        using var withCookie = await person.Http.GetAsync("/api/search?q=x");
        using var withNothing = await anonymous.GetAsync("/api/search?q=x");
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withNothing.StatusCode);
        var search = document.GetProperty("paths").GetProperty("/api/search").GetProperty("get");
        Assert.Equal(["q", "language", "status", "from", "to", "page", "order"],
            search.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }
}
