using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodeChatter.Tests.Web.Api;

public class SessionEndpointTests(SessionAppFactory factory) : IClassFixture<SessionAppFactory>
{
    [Fact]
    public async Task A_run_of_a_new_conversation_runs_in_a_session_by_default_and_says_so_in_the_run_and_conversation_objects()
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.RunAsync(new { language = "python", code = "x = 1", stdin = "in\n" });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        var conversationId = run.GetProperty("conversationId").GetInt64();
        var conversation = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}");
        var list = await api.Http.GetFromJsonAsync<JsonElement>("/api/conversations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("session", run.GetProperty("mode").GetString());
        Assert.Equal(1, run.GetProperty("sessionGeneration").GetInt32());
        Assert.Equal(1, run.GetProperty("executionCounter").GetInt32());
        Assert.Equal("started", run.GetProperty("sessionEvent").GetString());
        Assert.Equal("", run.GetProperty("typedInput").GetString());
        Assert.Equal("session", conversation.GetProperty("mode").GetString());
        Assert.Equal("session", list.EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == conversationId).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_run_asking_for_a_fresh_conversation_runs_in_a_sandbox_of_its_own_with_no_session_fields()
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.RunAsync(new { language = "python", code = "print(6 * 7)", mode = "fresh" });
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42\n", run.GetProperty("stdout").GetString());
        Assert.Equal("fresh", run.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("sessionGeneration").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("executionCounter").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("sessionEvent").ValueKind);
        var conversation = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{run.GetProperty("conversationId").GetInt64()}");
        Assert.Equal("fresh", conversation.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_unknown_mode_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.RunAsync(new { language = "python", code = "print(1)", mode = "jupyter" });
        var problem = await ApiClient.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("jupyter", problem.GetProperty("errors").GetProperty("mode")[0].GetString());
        Assert.Empty(await api.Http.GetFromJsonAsync<JsonElement[]>("/api/conversations") ?? []);
    }

    [Fact]
    public async Task Restarting_a_conversations_session_is_204_and_ends_it_and_someone_elses_conversation_is_404()
    {
        using var api = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var run = await api.RunOkAsync("x = 1");
        var conversationId = run.GetProperty("conversationId").GetInt64();

        using var theirs = await stranger.Http.PostAsync($"/api/conversations/{conversationId}/session/restart", null);
        using var mine = await api.Http.PostAsync($"/api/conversations/{conversationId}/session/restart", null);
        var after = await api.RunOkAsync("print(x)", conversationId: conversationId);

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
        Assert.Contains($"end-conversation {conversationId} Restart", factory.Sessions.Calls);
        Assert.Equal("started", after.GetProperty("sessionEvent").GetString());
        Assert.Equal(2, after.GetProperty("sessionGeneration").GetInt32());
    }

    [Fact]
    public async Task Putting_a_mode_switches_the_conversation_and_ends_its_sessions_and_a_bad_mode_or_someone_elses_conversation_is_refused()
    {
        using var api = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("x = 1")).GetProperty("conversationId").GetInt64();

        using var bad = await api.Http.PutAsJsonAsync($"/api/conversations/{conversationId}/mode", new { mode = "sometimes" });
        using var theirs = await stranger.Http.PutAsJsonAsync($"/api/conversations/{conversationId}/mode", new { mode = "fresh" });
        using var switched = await api.Http.PutAsJsonAsync($"/api/conversations/{conversationId}/mode", new { mode = "fresh" });
        var next = await api.RunOkAsync("print(5)", conversationId: conversationId);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(bad)).GetProperty("errors").TryGetProperty("mode", out _));
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, switched.StatusCode);
        Assert.Contains($"end-conversation {conversationId} Restart", factory.Sessions.Calls);
        Assert.Equal("fresh", next.GetProperty("mode").GetString());
        Assert.Equal("5\n", next.GetProperty("stdout").GetString());
        var conversation = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}");
        Assert.Equal("fresh", conversation.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_session_the_server_has_no_room_for_is_a_rejected_run_with_429_and_retry_after()
    {
        var refusing = new SessionAppFactory();
        await using var _ = refusing;
        refusing.Sessions.RefuseNewSessions = true;
        using var api = await ApiClient.CreateAsync(refusing);

        using var response = await api.RunAsync(new { language = "python", code = "x = 1" });
        var problem = await ApiClient.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("30", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("rejected", problem.GetProperty("runs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_session_endpoints_and_fields()
    {
        using var http = factory.CreateClient();

        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/conversations/{id}/session/restart").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/conversations/{id}/mode").TryGetProperty("put", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var run = schemas.GetProperty("RunView").GetProperty("properties");
        foreach (var field in new[] { "mode", "sessionGeneration", "executionCounter", "sessionEvent", "typedInput" })
        {
            Assert.True(run.TryGetProperty(field, out _), $"the run schema has no '{field}'");
        }
        Assert.True(schemas.GetProperty("RunRequest").GetProperty("properties").TryGetProperty("mode", out _));
        Assert.True(schemas.GetProperty("ConversationResponse").GetProperty("properties").TryGetProperty("mode", out _));
    }
}
