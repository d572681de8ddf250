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
            Assert.Equal("internal_error", cutOff.QuerySelector(".status")!.TextContent);
            Assert.Equal("interrupted", cutOff.QuerySelector(".run-detail")!.TextContent);
            Assert.Equal(["kept\n"], page.All("#chat pre[data-stream=stdout]").Take(1).Select(p => p.TextContent));

            // The cut-off run has no output to compare with, so re-run only the two that finished.
            var rerun = await client.PostFormAsync(page, "li.message-code:nth-child(1) form.rerun-form");
            rerun = await client.PostFormAsync(rerun, "li.message-code:nth-child(2) form.rerun-form");
            var badges = rerun.All("li.message-code > article.reply [data-comparison]").Select(b => b.TextContent).Take(2);
            Assert.Equal(["same", "same"], badges);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "keys"), "key-*.xml"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
