using System.Net;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Pages.Sharing;

/// <summary>What the owner of a conversation does to share it, through the chat page's own forms.</summary>
internal static class ShareSteps
{
    /// <summary>Makes a link from the chat page's share panel; returns its token (the last part of its address).</summary>
    public static async Task<string> ShareAsync(ChatClient owner, long conversationId, string expiresInDays = "")
    {
        var page = await owner.PostFormAsync($"/Conversations/{conversationId}", "form#share-create", new() { ["expiresInDays"] = expiresInDays });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Newest first: the link just made.
        var address = page.All("li.share-link code").First().TextContent;
        return address[(address.LastIndexOf('/') + 1)..];
    }

    /// <summary>A conversation with one printed line, its reply finished.</summary>
    public static async Task<long> ConversationAsync(ChatClient owner, string code = "print('hello share')", string title = "")
    {
        var page = await owner.NewConversationAsync(code, title: title);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.ConversationId;
    }

    /// <summary>Adds a Markdown note through the chat page.</summary>
    public static async Task NoteAsync(ChatClient owner, long conversationId, string text)
    {
        var page = await owner.PostFormAsync($"/Conversations/{conversationId}", "form#note", new() { ["Note.Text"] = text });
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    /// <summary>Completes the conversation's newest run again with these items (a PNG, HTML, a file...).</summary>
    public static Task<long> GiveNewestRunAsync(ChatClient owner, long conversationId, string stdout, string stderr, params RichOutput[] outputs) =>
        owner.WithServicesAsync(async services =>
        {
            var executionId = await owner.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                db.Executions.Where(e => e.Snippet!.ConversationId == conversationId).OrderByDescending(e => e.Id).Select(e => e.Id)));
            var now = DateTimeOffset.UtcNow;
            await services.GetRequiredService<IRunStore>().CompleteAsync(executionId, new ExecutionResult
            {
                Status = RunStatus.Failed, ExitCode = 1, Stdout = stdout, Stderr = stderr, StartedAt = now, FinishedAt = now, Outputs = outputs,
            });
            return executionId;
        });
}
