using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web;

/// <summary>Nothing is lost across a stop: conversations, results, and runs a stop cut off.</summary>
public class RestartTests
{
    [Fact]
    public async Task After_a_restart_my_conversation_is_there_a_cut_off_run_reads_interrupted_and_a_rerun_is_the_same()
    {
        var directory = Directory.CreateTempSubdirectory("codechatter-restart-").FullName;
        string email;
        long conversationId, cutOffRunId;
        await using (var before = new ChatAppFactory(directory))
        {
            using var client = await ChatClient.RegisterAsync(before);
            email = client.Email;
            var chat = await client.NewConversationAsync("print('kept')");
            await client.SendAsync(chat.ConversationId, "raise ValueError('kept too')");
            await client.SendAsync(chat.ConversationId, "print('cut off')");
            conversationId = chat.ConversationId;
            // What a kill -9 in the middle of a run leaves: the in-flight row written when the run started.
            cutOffRunId = await client.WithDbAsync(async db =>
            {
                var snippet = await db.Snippets.SingleAsync(s => s.ConversationId == conversationId && s.Sequence == 3);
                var run = new Execution { SnippetId = snippet.Id, Trigger = ExecutionTrigger.Rerun };
                db.Executions.Add(run);
                await db.SaveChangesAsync();
                return run.Id;
            });
        }

        try
        {
            await using var after = new ChatAppFactory(directory);
            using var client = ChatClient.Anonymous(after);
            var signedIn = await client.PostFormAsync("/Identity/Account/Login", "form#account", new() { ["Input.Email"] = email, ["Input.Password"] = ChatClient.Password });
            Assert.True(signedIn.Document.QuerySelector("#manage") is not null, signedIn.Url + signedIn.Document.QuerySelector("main")?.TextContent);

            var page = await client.GetAsync($"/Conversations/{conversationId}");
            var cutOff = page.Single($"#execution-{cutOffRunId}");
            Assert.Equal("internal_error", cutOff.QuerySelector(".status")!.GetAttribute("data-status"));
            Assert.Equal("interrupted", cutOff.QuerySelector(".run-detail")!.TextContent);
            Assert.Equal(["kept\n"], page.All("#chat pre[data-stream=stdout]").Take(1).Select(p => p.TextContent));

            // The cut-off run has no output to compare with, so re-run only the two that finished.
            var rerun = await client.PressAsync(page, "li.message-code:nth-child(1) button.rerun-button");
            rerun = await client.PressAsync(rerun, "li.message-code:nth-child(2) button.rerun-button");
            var badges = rerun.All("li.message-code > article.reply [data-comparison]").Select(b => b.TextContent).Take(2);
            Assert.Equal(["same", "same"], badges);
            // The sign-in survived because its keys did: files in the data directory, or PostgreSQL's key table.
            if (Infrastructure.TestDatabase.IsPostgres) Assert.NotEqual(0, await client.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
            else Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "keys"), "key-*.xml"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_cut_off_by_a_kill_9_keeps_the_output_it_had_printed()
    {
        var directory = Directory.CreateTempSubdirectory("codechatter-kill-").FullName;
        var cookies = new CookieContainer();
        long conversationId, executionId;
        try
        {
            using (var server = await ServerProcess.StartAsync(directory))
            {
                using var client = server.NewClient(cookies);
                var registered = await client.PostFormAsync("/Identity/Account/Register", "form#registerForm", new()
                {
                    ["Input.Email"] = $"{Guid.NewGuid():N}@example.com", ["Input.Password"] = ChatClient.Password, ["Input.ConfirmPassword"] = ChatClient.Password,
                });
                Assert.NotNull(registered.Document.QuerySelector("form#sign-out"));
                var form = await client.GetAsync("/Conversations/New");
                using var start = await client.PostFormAsScriptAsync(form, "form#compose", new()
                {
                    ["Input.Language"] = "python", ["Input.Code"] = "import time\nprint('printed before the crash', flush=True)\ntime.sleep(60)",
                });
                Assert.True(start.IsSuccessStatusCode, server.Log);
                var started = await start.Content.ReadFromJsonAsync<JsonElement>();
                conversationId = started.GetProperty("conversationId").GetInt64();
                executionId = started.GetProperty("executionId").GetInt64();

                await WaitForLiveOutputAsync(client.Http, $"/Conversations/{conversationId}/Executions/{executionId}/Events", "printed before the crash");
                // Streamed output is written through at most every 250 ms; a crash can only lose that much.
                await Task.Delay(TimeSpan.FromSeconds(1));
                server.Kill();
            }

            using (var restarted = await ServerProcess.StartAsync(directory))
            {
                using var client = restarted.NewClient(cookies);
                var page = await client.GetAsync($"/Conversations/{conversationId}");

                var run = page.Single($"#execution-{executionId}");
                Assert.Equal("internal_error", run.QuerySelector(".status")!.GetAttribute("data-status"));
                Assert.Equal("interrupted", run.QuerySelector(".run-detail")!.TextContent);
                Assert.Equal("printed before the crash\n", run.QuerySelector("pre[data-stream=stdout]")?.TextContent);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Follows a run's event stream until <paramref name="text"/> has been streamed.</summary>
    private static async Task WaitForLiveOutputAsync(HttpClient http, string eventsUrl, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.GetAsync(eventsUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal)) return;
        }
        throw new InvalidOperationException($"the stream ended before '{text}' was printed");
    }
}
