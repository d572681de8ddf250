using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>
/// Conversations that remember, in a real browser on real sandboxes: state kept between messages, the
/// session panel, Restart and Re-run all, typing into a run in flight, and the mode choice on New.
/// </summary>
[Collection(BrowserCollection.Name)]
public class SessionBrowserTests(BrowserFixture browser)
{
    private static readonly Regex Focused = new("cm-focused");

    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new() { Width = 1280, Height = 900 } };

    [Fact]
    public async Task A_newcomer_builds_on_earlier_messages_sees_the_last_value_and_rebuilds_it_after_a_restart()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        var panel = page.Locator("#session-panel");

        var first = await StartConversationAsync(page, "import math", title: "Circles");
        await ExpectStatusAsync(first, "succeeded");
        await Expect(first.Locator(".execution-counter")).ToHaveTextAsync("[1]");
        await Expect(first.Locator(".session-event")).ToContainTextAsync("Started a new session");
        await ExpectStatusAsync(await SendAsync(page, "x = math.pi"), "succeeded");
        var third = await SendAsync(page, "x * 2");

        await ExpectStatusAsync(third, "succeeded");
        await Expect(third.Locator("pre[data-stream=stdout]")).ToHaveTextAsync(new Regex(@"^Out\[3\]: 6\.283"));
        await Expect(third.Locator(".execution-counter")).ToHaveTextAsync("[3]");
        await Expect(third.Locator(".session-generation")).ToHaveTextAsync("session 1");
        await Expect(third.Locator(".session-place")).ToHaveAttributeAsync("title", new Regex("session 1"));
        // The panel is drawn again after each run, without a reload.
        await Expect(panel.Locator("li.session-item")).ToContainTextAsync("3 messages run");
        await Expect(panel.Locator("li.session-item .session-live")).ToHaveTextAsync("live");
        await Expect(panel.Locator("li.session-item")).ToContainTextAsync("MiB");

        await panel.Locator("#session-restart button").ClickAsync();

        await Expect(panel.Locator(".session-none")).ToHaveTextAsync("No session is running: the next message starts one.");
        await Expect(panel.Locator("li.session-item")).ToHaveCountAsync(0);
        await Expect(panel.Locator(".state-lost")).ToContainTextAsync("was lost");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotTests.ScreenshotFolder(), "chat-session-state-lost.png") });

        await panel.Locator("#session-rerun-all button").ClickAsync();

        await Expect(page.Locator("#rerun-progress")).ToHaveTextAsync("Re-ran 3 snippets: 3 same, 0 changed.", new() { Timeout = 20_000 });
        var replies = page.Locator("#chat > li.message-code > article.reply");
        await Expect(replies.Locator(".comparison")).ToHaveTextAsync(["same", "same", "same"]);
        await Expect(replies.Locator(".session-generation")).ToHaveTextAsync(["session 2", "session 2", "session 2"]);
        await Expect(replies.Nth(2).Locator("pre[data-stream=stdout]")).ToHaveTextAsync(new Regex(@"^Out\[3\]: 6\.283"));
        await Expect(panel.Locator(".state-lost")).ToHaveCountAsync(0);
        await Expect(panel.Locator("li.session-item")).ToContainTextAsync("3 messages run");

        // Re-run all with the session live restarts it first: the replay starts from nothing again.
        await page.Locator("form#rerun-all button").ClickAsync();
        await Expect(page.Locator("#rerun-progress")).ToHaveTextAsync("Re-ran 3 snippets: 3 same, 0 changed.", new() { Timeout = 20_000 });
        await Expect(replies.Locator(".session-generation")).ToHaveTextAsync(["session 3", "session 3", "session 3"]);
        await Expect(replies.Locator(".execution-counter")).ToHaveTextAsync(["[1]", "[2]", "[3]"]);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task A_run_asks_for_input_in_the_page_and_the_stored_reply_keeps_what_was_typed()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('ready')"), "succeeded");
        var editor = page.Locator("#compose .cm-editor");

        var asking = await SendAsync(page, "name = input(\"name? \")");

        var stdout = asking.Locator("pre[data-stream=stdout]");
        await Expect(stdout).ToHaveTextAsync("name? ");
        var field = asking.Locator("form.input-line input[name=text]");
        await Expect(asking.GetByLabel("Input", new() { Exact = true })).ToBeVisibleAsync();
        // The input line waits for the person: the editor keeps the focus until they click the field.
        await Expect(editor).ToHaveClassAsync(Focused);
        await field.ClickAsync();
        await Expect(field).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Ada <b>");
        await page.Keyboard.PressAsync("Enter");

        await ExpectStatusAsync(asking, "succeeded");
        await Expect(asking.Locator("form.input-line")).ToHaveCountAsync(0);
        await Expect(asking.Locator(".typed-input pre")).ToHaveTextAsync("Ada <b>\n");
        await Expect(editor).ToHaveClassAsync(Focused);
        var greeting = await SendAsync(page, "print(\"hello\", name)");
        await ExpectStatusAsync(greeting, "succeeded");
        await Expect(greeting.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("hello Ada <b>\n");

        // Ctrl+D in the field ends the input: the run reads to its end of file.
        var reading = await SendAsync(page, "import sys\nprint(repr(sys.stdin.read()))");
        var readingField = reading.Locator("form.input-line input[name=text]");
        await readingField.ClickAsync();
        await page.Keyboard.TypeAsync("one");
        await page.Keyboard.PressAsync("Enter");
        await Expect(reading.Locator("pre[data-stream=stdout] .typed-echo")).ToHaveTextAsync("one\n");
        await page.Keyboard.TypeAsync("two");
        await page.Keyboard.PressAsync("Control+d");
        await ExpectStatusAsync(reading, "succeeded");
        await Expect(reading.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("'one\\ntwo\\n'\n");

        await page.ReloadAsync();
        var stored = page.Locator("#chat > li.message-code").Nth(1).Locator(":scope > article.reply");
        await Expect(stored.Locator(".typed-input h3")).ToHaveTextAsync("Typed input");
        await Expect(stored.Locator(".typed-input pre")).ToHaveTextAsync("Ada <b>\n");
        await Expect(stored.Locator(".typed-input pre b")).ToHaveCountAsync(0);
        await Expect(page.Locator("form.input-line")).ToHaveCountAsync(0);
        Assert.False(session.DialogOpened);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Restart_from_the_keyboard_empties_the_panel_and_the_next_message_starts_session_two_without_the_old_names()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "secret = 42"), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, "print(secret)"), "succeeded");
        var panel = page.Locator("#session-panel");
        var restart = panel.Locator("#session-restart button");
        await Expect(panel.Locator("li.session-item")).ToContainTextAsync("2 messages run");

        // From the editor: Esc leaves it, Shift+Tab walks back up to the panel's controls.
        await page.Locator("#compose .cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        var mode = panel.Locator("#session-mode button");
        Assert.True(await ShiftTabToAsync(page, mode), "the mode switch is reachable with the keyboard");
        Assert.True(await ShiftTabToAsync(page, restart), "Restart is reachable with the keyboard");
        Assert.NotEqual("none", await restart.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");

        await Expect(panel.Locator(".session-none")).ToBeVisibleAsync();
        await Expect(panel.Locator("li.session-item")).ToHaveCountAsync(0);
        var after = await SendAsync(page, "print(secret)");
        await ExpectStatusAsync(after, "failed");
        await Expect(after.Locator("pre[data-stream=stderr]")).ToContainTextAsync("NameError");
        await Expect(after.Locator(".session-generation")).ToHaveTextAsync("session 2");
        await Expect(after.Locator(".execution-counter")).ToHaveTextAsync("[1]");
        await Expect(panel.Locator("li.session-item")).ToHaveAttributeAsync("data-generation", "2");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Choosing_a_fresh_sandbox_on_new_makes_replies_without_a_counter_or_kept_state()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await page.GotoAsync("/Conversations/New");
        var sessionChoice = page.GetByLabel("Keep state between messages (session)");
        var freshChoice = page.GetByLabel("Fresh sandbox for every message");
        await Expect(sessionChoice).ToBeCheckedAsync();

        // A radio group: the arrow keys move the choice.
        await sessionChoice.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(freshChoice).ToBeCheckedAsync();
        await TypeCodeAsync(page, "x = 1\nprint(x)");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForURLAsync("**/Conversations/*#execution-*");

        var first = LatestReply(page);
        await ExpectStatusAsync(first, "succeeded");
        await Expect(first.Locator(".execution-counter")).ToHaveCountAsync(0);
        await Expect(page.Locator("#session-panel .session-fresh")).ToContainTextAsync("fresh sandbox");
        var second = await SendAsync(page, "print(x)");
        await ExpectStatusAsync(second, "failed");
        await Expect(second.Locator("pre[data-stream=stderr]")).ToContainTextAsync("NameError");
        await Expect(page.Locator("article.reply .execution-counter")).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }

    private static async Task<bool> ShiftTabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 15; presses++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return true;
        }
        return false;
    }
}
