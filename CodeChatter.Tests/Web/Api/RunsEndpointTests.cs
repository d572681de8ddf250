using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Api;

public class RunsEndpointTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_snippet_posted_with_a_token_runs_and_comes_back_as_the_run_object()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var run = await api.RunOkAsync("print(1)");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("1\n", run.GetProperty("stdout").GetString());
        Assert.Equal("", run.GetProperty("stderr").GetString());
        Assert.Equal(0, run.GetProperty("exitCode").GetInt32());
        Assert.Equal("python", run.GetProperty("language").GetString());
        foreach (var field in new[] { "id", "conversationId", "snippetId", "signal", "stdoutTruncated", "stderrTruncated", "wallTimeMs", "cpuTimeMs", "peakMemoryBytes", "startedAt" })
        {
            Assert.True(run.TryGetProperty(field, out _), $"the run object has no '{field}'");
        }
    }

    [Fact]
    public async Task Posting_a_run_and_getting_it_back_give_the_same_object_with_the_stored_times()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var posted = await api.RunOkAsync("print('once')");
        using var got = await api.Http.GetAsync($"/api/runs/{posted.GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(posted.GetRawText(), (await got.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        Assert.True(posted.GetProperty("finishedAt").GetDateTime() >= posted.GetProperty("startedAt").GetDateTime());
        Assert.Equal("api", posted.GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task A_run_made_through_the_api_shows_up_in_my_conversations_and_runs_pages()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var run = await api.RunOkAsync("print('from a script')");

        var chat = await api.Person.GetAsync($"/Conversations/{run.GetProperty("conversationId").GetInt64()}");
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Equal("from a script\n", chat.Single($"#execution-{run.GetProperty("id").GetInt64()} pre[data-stream=stdout]").TextContent);
        Assert.Contains("print('from a script')", (await api.Person.GetAsync("/Runs")).Single("table.runs code").TextContent);
    }

    [Fact]
    public async Task A_run_posted_with_a_conversation_id_is_appended_to_that_conversation()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var first = await api.RunOkAsync("x = 1\nprint(x)");
        var conversationId = first.GetProperty("conversationId").GetInt64();

        var second = await api.RunOkAsync("import sys\nprint(sys.stdin.read().upper())", conversationId: conversationId);
        using var withStdin = await api.RunAsync(new { language = "python", code = "print(input())", stdin = "typed", conversationId });

        Assert.Equal(conversationId, second.GetProperty("conversationId").GetInt64());
        Assert.Equal("typed\n", (await withStdin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stdout").GetString());
        using var conversation = await api.Http.GetAsync($"/api/conversations/{conversationId}");
        var snippets = (await conversation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("snippets");
        Assert.Equal(3, snippets.GetArrayLength());
        Assert.Equal([1, 2, 3], snippets.EnumerateArray().Select(s => s.GetProperty("sequence").GetInt32()));
        Assert.All(snippets.EnumerateArray(), s => Assert.Equal(1, s.GetProperty("executions").GetArrayLength()));
    }

    [Fact]
    public async Task A_failing_snippet_is_still_a_200_with_its_status_and_stderr()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var run = await api.RunOkAsync("raise ValueError('nope')");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("ValueError: nope", run.GetProperty("stderr").GetString());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"language":"cobol","code":"print(1)"}""", "language" },
        { """{"code":"print(1)"}""", "language" },
        { """{"language":"python","code":"   "}""", "code" },
        { """{"language":"python"}""", "code" },
        { "{\"language\":\"python\",\"code\":\"" + new string('x', 70_000) + "\"}", "code" },
        { "{\"language\":\"python\",\"code\":\"print(1)\",\"stdin\":\"" + new string('x', 70_000) + "\"}", "stdin" },
        { """{"language":"python","code":"print(1)\u0000"}""", "code" },
        { """{"language":"python","code":"print(1)","stdin":"a\u0000b"}""", "stdin" },
        { """{"language":"python","code":"print(1)" """, "body" },
        { """{"language":5,"code":"print(1)"}""", "language" },
        { "not json at all", "body" },
        { "", "body" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.Http.PostAsync("/api/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
    }

    [Fact]
    public async Task Output_with_a_NUL_character_comes_back_exactly_as_printed_once_stored()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var run = await api.RunOkAsync("import sys\nsys.stdout.write('\\0' + 'A' * 700)\n_ = sys.stderr.write('B' * 600 + '\\0')");

        using var stored = await api.Http.GetAsync($"/api/runs/{run.GetProperty("id").GetInt64()}");
        var storedRun = await stored.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("\0" + new string('A', 700), storedRun.GetProperty("stdout").GetString());
        Assert.Equal(new string('B', 600) + "\0", storedRun.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task Bad_input_stores_nothing()
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await api.RunAsync(new { language = "cobol", code = "print(1)" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var userId = (await api.Person.GetUserAsync()).Id;
        Assert.False(await api.Person.WithDbAsync(db => db.Conversations.AnyAsync(c => c.OwnerId == userId)));
    }

    [Fact]
    public async Task Without_a_token_the_api_is_401_with_a_bearer_challenge()
    {
        using var http = ApiClient.WithToken(factory, null);

        using var response = await http.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(401, (await ApiClient.ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("cc_abcdefghjk_wrongsecretwrongsecretwrongsecretwrongsecre")]
    public async Task An_invalid_token_is_401(string token)
    {
        using var http = ApiClient.WithToken(factory, token);

        using var response = await http.GetAsync("/api/languages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_right_prefix_with_a_wrong_secret_is_401()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var forged = api.Token[..api.Token.LastIndexOf('_')] + "_" + new string('A', 43);
        using var http = ApiClient.WithToken(factory, forged);

        using var response = await http.GetAsync("/api/languages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_is_401_at_once()
    {
        using var api = await ApiClient.CreateAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/languages")).StatusCode);
        var userId = (await api.Person.GetUserAsync()).Id;
        await api.Person.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == userId).ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, DateTime.UtcNow)));

        using var response = await api.Http.GetAsync("/api/languages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_disabled_persons_token_is_401_at_once()
    {
        using var api = await ApiClient.CreateAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/languages")).StatusCode);
        await api.Person.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ChatUser>>();
            var user = (await users.FindByEmailAsync(api.Person.Email))!;
            user.IsDisabled = true;
            return await users.UpdateAsync(user);
        });

        using var response = await api.RunAsync(new { language = "python", code = "print(1)" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_cookie_alone_never_authorises_the_api()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/Conversations")).Status);

        using var get = await person.Http.GetAsync("/api/conversations");
        using var post = await person.Http.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)" });

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Using_a_token_records_when_it_was_last_used()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var userId = (await api.Person.GetUserAsync()).Id;

        await api.Http.GetAsync("/api/languages");

        var lastUsed = await api.Person.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == userId).Select(t => t.LastUsedAt).SingleAsync());
        Assert.NotNull(lastUsed);
    }

    [Fact]
    public async Task The_languages_this_instance_runs_are_listed()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var languages = await api.Http.GetFromJsonAsync<JsonElement>("/api/languages");

        Assert.Contains("python", languages.EnumerateArray().Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Rerunning_a_conversation_returns_one_new_run_per_code_snippet_each_saying_whether_it_changed()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var first = await api.RunOkAsync("print('steady')");
        var conversationId = first.GetProperty("conversationId").GetInt64();
        await api.RunOkAsync("import random\nprint(random.random())", conversationId: conversationId);

        using var response = await api.Http.PostAsync($"/api/conversations/{conversationId}/rerun", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var runs = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.False(runs[0].GetProperty("changed").GetBoolean());
        Assert.True(runs[1].GetProperty("changed").GetBoolean());
        Assert.All(runs, run => Assert.Equal("conversation_rerun", run.GetProperty("trigger").GetString()));
    }

    [Fact]
    public async Task My_conversations_are_listed_and_nobody_elses()
    {
        using var me = await ApiClient.CreateAsync(factory);
        using var other = await ApiClient.CreateAsync(factory);
        var mine = await me.RunOkAsync("print('mine')");
        var theirs = await other.RunOkAsync("print('theirs')");

        var list = await me.Http.GetFromJsonAsync<JsonElement>("/api/conversations");

        var ids = list.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(mine.GetProperty("conversationId").GetInt64(), ids);
        Assert.DoesNotContain(theirs.GetProperty("conversationId").GetInt64(), ids);
    }

    [Fact]
    public async Task Someone_elses_ids_are_404_through_every_endpoint()
    {
        using var me = await ApiClient.CreateAsync(factory);
        using var other = await ApiClient.CreateAsync(factory);
        var theirs = await other.RunOkAsync("print('theirs')");
        var theirRun = theirs.GetProperty("id").GetInt64();
        var theirConversation = theirs.GetProperty("conversationId").GetInt64();

        using var run = await me.Http.GetAsync($"/api/runs/{theirRun}");
        using var conversation = await me.Http.GetAsync($"/api/conversations/{theirConversation}");
        using var rerun = await me.Http.PostAsync($"/api/conversations/{theirConversation}/rerun", null);
        using var append = await me.RunAsync(new { language = "python", code = "print('intruder')", conversationId = theirConversation });

        Assert.All(new[] { run, conversation, rerun, append }, response =>
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        });
        Assert.Equal(1, await other.Person.WithDbAsync(db => db.Executions.CountAsync(e => e.Snippet!.ConversationId == theirConversation)));
    }

    [Fact]
    public async Task My_own_run_can_be_read_back()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var run = await api.RunOkAsync("print(42)");

        var again = await api.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{run.GetProperty("id").GetInt64()}");

        Assert.Equal("42\n", again.GetProperty("stdout").GetString());
        Assert.Equal(run.GetProperty("conversationId").GetInt64(), again.GetProperty("conversationId").GetInt64());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var http = factory.CreateClient();

        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/runs", "/api/runs/{id}", "/api/conversations", "/api/conversations/{id}", "/api/conversations/{id}/rerun", "/api/languages" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"the document has no {path}");
        }
    }
}
