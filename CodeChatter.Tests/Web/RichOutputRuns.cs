using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web;

/// <summary>
/// Gives a person's stored run the plots, tables and values a Python run displays, stored the way the run
/// service stores any result (through <see cref="IRunStore"/>), so pages and the API can be tested on them
/// without depending on what the sandbox draws.
/// </summary>
public static class RichOutputRuns
{
    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public const string Stdout = "before\nmiddle\nafter\n";

    /// <summary>A pandas-like table with a script and an event handler a snippet slipped in.</summary>
    public const string Html = "<table class=\"dataframe\"><thead><tr><th>n</th></tr></thead><tbody><tr><td>42</td></tr></tbody></table><script>alert(1)</script><img src=x onerror=alert(2)>";

    public const string Value = "Point(x=<1>, y=2)";

    public const string Omitted = "3 more figures were left out (at most 8 per message).";

    /// <summary>Completes the newest run of that conversation again with a PNG, HTML and text item; returns its id.</summary>
    public static async Task<long> GiveNewestRunOutputsAsync(ChatClient person, long conversationId)
    {
        var executionId = await person.WithDbAsync(db => db.Executions
            .Where(e => e.Snippet!.ConversationId == conversationId).OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync());
        var now = DateTimeOffset.UtcNow;
        await person.WithServicesAsync(async services =>
        {
            await services.GetRequiredService<IRunStore>().CompleteAsync(executionId, new ExecutionResult
            {
                Status = RunStatus.Succeeded, ExitCode = 0, Stdout = Stdout, StartedAt = now, FinishedAt = now,
                Outputs =
                [
                    new RichOutput(RichMediaTypes.Png, Png, "before\n".Length),
                    new RichOutput(RichMediaTypes.Html, System.Text.Encoding.UTF8.GetBytes(Html), "before\nmiddle\n".Length),
                    new RichOutput(RichMediaTypes.PlainText, System.Text.Encoding.UTF8.GetBytes(Value), Stdout.Length),
                ],
                OutputsOmitted = Omitted,
            });
            return true;
        });
        return executionId;
    }

    /// <summary>
    /// Completes the newest run of that conversation again with a figure and files it left behind (at the end
    /// of the reply, as the executor lists them); returns the run's id.
    /// </summary>
    public static async Task<long> GiveNewestRunFilesAsync(ChatClient person, long conversationId, params (string Name, byte[] Content)[] files)
    {
        var executionId = await person.WithDbAsync(db => db.Executions
            .Where(e => e.Snippet!.ConversationId == conversationId).OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync());
        var now = DateTimeOffset.UtcNow;
        await person.WithServicesAsync(async services =>
        {
            await services.GetRequiredService<IRunStore>().CompleteAsync(executionId, new ExecutionResult
            {
                Status = RunStatus.Succeeded, ExitCode = 0, Stdout = Stdout, StartedAt = now, FinishedAt = now,
                Outputs =
                [
                    new RichOutput(RichMediaTypes.Png, Png, "before\n".Length),
                    .. files.Select(file => new RichOutput(RichMediaTypes.File, file.Content, Stdout.Length) { FileName = file.Name }),
                ],
            });
            return true;
        });
        return executionId;
    }
}
