using System.Diagnostics;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ChatBrowserTests(BrowserFixture browser)
{
    // A second between lines: the "running" state must still be on screen when the first line is, on a busy machine too.
    private const string CountingSnippet = "import time\nfor i in range(3): print(i); time.sleep(1)";

    [Fact]
    public async Task I_watch_my_code_print_while_it_runs_and_then_see_how_it_ended()
    {
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        var email = await RegisterAsync(page);
        await SignOutAsync(page);
        await SignInAsync(page, email);

        var reply = await StartConversationAsync(page, CountingSnippet);

        var stdout = reply.Locator("pre[data-stream=stdout]");
        await Expect(stdout).ToContainTextAsync("0");
        Assert.Equal("running", await reply.GetAttributeAsync("data-status"));
        await Expect(reply.Locator(".elapsed")).ToContainTextAsync(" s");
        await ExpectStatusAsync(reply, "succeeded");
        Assert.Equal("0\n1\n2\n", await stdout.TextContentAsync());
        await Expect(reply.Locator(".run-facts")).ToContainTextAsync("Exit code");
        await Expect(page.Locator("pre.code.cc-highlight .tok-keyword").First).ToBeVisibleAsync();
        await Expect(page.Locator("#editor-keys")).ToContainTextAsync("Esc");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Re_running_a_conversation_that_prints_the_same_marks_every_reply_same()
    {
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('one')"), "succeeded");
        var second = await SendAsync(page, "for word in ['two', 'three']:\n    print(word)");
        await ExpectStatusAsync(second, "succeeded");
        await Expect(second.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("two\nthree\n");

        await page.Locator("form#rerun-all button").ClickAsync();

        // Live, without a reload: the outcome is said in the re-run's own progress line.
        await Expect(page.Locator("#rerun-progress")).ToContainTextAsync("Re-ran 2 snippets: 2 same, 0 changed.");
        var comparisons = page.Locator("#chat > li > article.reply .comparison");
        await Expect(comparisons).ToHaveCountAsync(2);
        Assert.All(await comparisons.AllTextContentsAsync(), word => Assert.Equal("same", word));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Markup_in_output_and_titles_is_shown_as_text_and_never_runs()
    {
        const string payload = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await RegisterAsync(page);

        var reply = await StartConversationAsync(page, $"print(\"{payload}\")", title: payload);
        await ExpectStatusAsync(reply, "succeeded");

        await Expect(reply.Locator("pre[data-stream=stdout]")).ToHaveTextAsync(payload + "\n");
        await Expect(page.Locator("#conversation-title")).ToHaveTextAsync(payload);
        Assert.Equal(0, await page.Locator("#chat img, #chat script, h1 img").CountAsync());
        // Sent from the conversation itself, the reply is built by the page's script.
        var second = await SendAsync(page, $"print(\"{payload}\")");
        await ExpectStatusAsync(second, "succeeded");
        await Expect(second.Locator("pre[data-stream=stdout]")).ToHaveTextAsync(payload + "\n");
        await page.GotoAsync("/Conversations");
        await Expect(page.GetByText(payload).First).ToBeVisibleAsync();
        Assert.False(session.DialogOpened);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Stop_ends_a_run_that_would_loop_forever_and_it_is_kept_as_killed()
    {
        await using var session = await browser.NewSessionAsync();
        var page = session.Page;
        await RegisterAsync(page);
        var reply = await StartConversationAsync(page, "print('looping', flush=True)\nwhile True: pass");
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("looping\n");

        var clock = Stopwatch.StartNew();
        await reply.Locator("form.stop-form button").ClickAsync();
        await ExpectStatusAsync(reply, "killed", timeout: 1_000);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed.TotalMilliseconds:N0} ms");
        await Expect(reply.Locator(".partial-output")).ToBeVisibleAsync();
        var executionId = long.Parse((await reply.GetAttributeAsync("data-execution-id"))!);
        await using var scope = browser.App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ChatDbContext>().Executions.SingleAsync(e => e.Id == executionId);
        Assert.Equal(RunStatus.Killed, stored.Status);
        Assert.Equal("looping\n", stored.Stdout);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Without_JavaScript_the_plain_form_runs_the_code_and_shows_the_result()
    {
        await using var session = await browser.NewSessionAsync(new() { JavaScriptEnabled = false });
        var page = session.Page;
        await RegisterAsync(page);
        await page.GotoAsync("/Conversations/New");

        await page.Locator("textarea#code").FillAsync(CountingSnippet);
        await page.Locator("#compose button[type=submit]").ClickAsync();

        var reply = LatestReply(page);
        await ExpectStatusAsync(reply, "succeeded");
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("0\n1\n2\n");
        await Expect(page.Locator("#editor-keys")).ToBeHiddenAsync();
        session.AssertNoProblems();
    }
}
