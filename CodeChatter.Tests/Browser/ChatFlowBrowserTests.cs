using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>How the chat moves: where it opens, where the focus goes, editing and resending, and live re-runs.</summary>
[Collection(BrowserCollection.Name)]
public class ChatFlowBrowserTests(BrowserFixture browser)
{
    private static readonly Regex Focused = new("cm-focused");

    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new() { Width = 1280, Height = 800 } };

    [Fact]
    public async Task A_conversation_opens_at_its_newest_reply_with_the_editor_focused_and_offers_a_jump_back_after_scrolling_up()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "for i in range(40): print('first', i)"), "succeeded");
        for (var n = 2; n <= 4; n++)
        {
            await ExpectStatusAsync(await SendAsync(page, $"for i in range(40): print('reply {n}', i)"), "succeeded");
        }
        var chatUrl = page.Url.Split('#')[0];

        await page.GotoAsync(chatUrl);

        var newest = LatestReply(page);
        await Expect(newest).ToContainTextAsync("reply 4");
        await Expect(newest).ToBeInViewportAsync();
        await Expect(page.Locator("#compose .cm-editor")).ToHaveClassAsync(Focused);
        await Expect(page.Locator("#jump-to-newest")).ToBeHiddenAsync();

        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var jump = page.Locator("#jump-to-newest");
        await Expect(jump).ToBeVisibleAsync();
        await Expect(newest).Not.ToBeInViewportAsync();
        await jump.ClickAsync();
        await Expect(newest).ToBeInViewportAsync();
        await Expect(jump).ToBeHiddenAsync();

        // A sent message keeps the view at the bottom and the editor ready for the next one.
        var sent = await SendAsync(page, "print('five')");
        await ExpectStatusAsync(sent, "succeeded");
        await Expect(sent).ToBeInViewportAsync();
        await Expect(page.Locator("#compose .cm-editor")).ToHaveClassAsync(Focused);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task An_address_naming_a_message_the_page_leaves_out_opens_the_whole_conversation_there()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        var first = await StartConversationAsync(page, "print('the very first')");
        await ExpectStatusAsync(first, "succeeded");
        var executionId = await first.GetAttributeAsync("data-execution-id");
        var chatUrl = page.Url.Split('#')[0];
        var conversationId = long.Parse(chatUrl.Split('/')[^1]);
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CodeChatter.Data.ChatDbContext>();
            var now = DateTime.UtcNow;
            db.Snippets.AddRange(Enumerable.Range(2, CodeChatter.Web.Pages.Conversations.ChatModel.NewestMessagesShown).Select(sequence => new CodeChatter.Data.Entities.Snippet
            {
                ConversationId = conversationId, Sequence = sequence, Kind = CodeChatter.Core.Chat.SnippetKind.Note,
                Language = CodeChatter.Core.Chat.RunService.NoteLanguage, Code = $"note {sequence}", CreatedAt = now.AddSeconds(sequence),
            }));
            await db.SaveChangesAsync();
        }

        await page.GotoAsync(chatUrl);
        await Expect(page.Locator("#show-earlier")).ToHaveTextAsync("Show the 1 earlier message");
        await Expect(page.Locator($"#execution-{executionId}")).ToHaveCountAsync(0);
        // A new page load (not a jump within the page), as when such a link is followed from elsewhere.
        await page.GotoAsync("/Runs");
        await page.GotoAsync($"{chatUrl}#execution-{executionId}");

        await page.WaitForURLAsync($"**/Conversations/{conversationId}?all=True#execution-{executionId}");
        await Expect(page.Locator($"#execution-{executionId}")).ToContainTextAsync("the very first");
        await Expect(page.Locator("#show-earlier")).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task My_conversations_are_listed_beside_the_chat_on_a_desktop_and_folded_away_on_a_phone()
    {
        var folder = ScreenshotTests.ScreenshotFolder();
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('sorting')", title: "Sorting a list"), "succeeded");
        await ExpectStatusAsync(await StartConversationAsync(page, "print('dates')", title: "Parsing dates"), "succeeded");
        await ExpectStatusAsync(await StartConversationAsync(page, "print('hello')", title: "Hello, world"), "succeeded");

        var list = page.Locator(".side-list-items");
        await Expect(list).ToBeVisibleAsync();
        Assert.Equal(["Hello, world", "Parsing dates", "Sorting a list"], await list.Locator("a").AllTextContentsAsync());
        await Expect(list.Locator("a[aria-current=page]")).ToHaveTextAsync("Hello, world");
        var side = await page.Locator("aside.side-list").BoundingBoxAsync();
        var chat = await page.Locator("#chat").BoundingBoxAsync();
        Assert.True(side!.X + side.Width <= chat!.X, "the side list sits to the left of the chat");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-side-list.png") });

        await page.Locator("#conversation-filter").FillAsync("dat");
        await Expect(list.Locator("li:visible")).ToHaveCountAsync(1);
        await Expect(list.Locator("li:visible a")).ToHaveTextAsync("Parsing dates");
        // Every conversation is listed here, so none matching is simply none; Enter asks the server all the same.
        await page.Locator("#conversation-filter").FillAsync("nothing like it");
        await Expect(list.Locator("li:visible")).ToHaveCountAsync(0);
        await Expect(page.Locator(".side-list-none")).ToBeVisibleAsync();
        await Expect(page.Locator(".side-list-none-shown")).ToBeHiddenAsync();
        await page.Locator("#conversation-filter").FillAsync("dat");
        await page.Locator("#conversation-filter").PressAsync("Enter");
        // The address keeps its #fragment: a GET form without an action submits to the page's own address.
        await page.WaitForURLAsync(new Regex(@"/Conversations/\d+\?q=dat(#|$)"));
        await Expect(list.Locator("li")).ToHaveCountAsync(1);
        await Expect(list.Locator("li a")).ToHaveTextAsync("Parsing dates");
        await page.Locator("#conversation-filter").FillAsync("");

        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Expect(list).ToBeHiddenAsync();
        // The chat opens at its newest reply; the folded list is at the top.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Expect(page.Locator("#side-list > summary")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-side-list-phone-folded.png") });
        await page.Locator("#side-list > summary").ClickAsync();
        await Expect(list).ToBeVisibleAsync();
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Focus_lands_in_the_editor_after_the_first_run_from_new_after_a_send_and_after_stop()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        var editor = page.Locator("#compose .cm-editor");

        await ExpectStatusAsync(await StartConversationAsync(page, "print(1)"), "succeeded");
        await Expect(editor).ToHaveClassAsync(Focused);

        var looping = await SendAsync(page, "print('looping', flush=True)\nwhile True: pass");
        await Expect(editor).ToHaveClassAsync(Focused);
        await Expect(looping.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("looping\n");
        await looping.Locator("form.stop-form button").ClickAsync();
        await ExpectStatusAsync(looping, "killed");
        await Expect(editor).ToHaveClassAsync(Focused);
        await page.Keyboard.TypeAsync("print('typed after stop')");
        await Expect(page.Locator("textarea#code")).ToHaveValueAsync("print('typed after stop')");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Edit_as_new_message_fills_the_editor_and_shift_enter_runs_it_keeping_the_text()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('first draft')"), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, "print('other')"), "succeeded");
        var before = await page.Locator("article.reply").CountAsync();

        await page.Locator("#chat > li.message-code").First.Locator("a.edit-as-new").ClickAsync();

        await Expect(page.Locator("textarea#code")).ToHaveValueAsync("print('first draft')");
        await Expect(page.Locator("#compose .cm-content")).ToHaveTextAsync("print('first draft')");
        await Expect(page.Locator("select#language")).ToHaveValueAsync("python");
        await Expect(page.Locator("#compose .cm-editor")).ToHaveClassAsync(Focused);
        Assert.DoesNotContain("edit=", page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("Backspace");
        await page.Keyboard.TypeAsync(" + ' v2')");

        await page.Keyboard.PressAsync("Shift+Enter");

        await Expect(page.Locator("article.reply")).ToHaveCountAsync(before + 1);
        var reply = LatestReply(page);
        await ExpectStatusAsync(reply, "succeeded");
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("first draft v2\n");
        // Shift+Enter kept the text (and inserted no line); Ctrl+Enter runs and clears it.
        await Expect(page.Locator("textarea#code")).ToHaveValueAsync("print('first draft' + ' v2')");
        await Expect(page.Locator("#editor-keys")).ToContainTextAsync("Shift");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.Locator("article.reply")).ToHaveCountAsync(before + 2);
        await Expect(page.Locator("textarea#code")).ToHaveValueAsync("");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task I_can_edit_a_note_and_then_delete_it()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print(1)"), "succeeded");
        await page.Locator("details.note-compose > summary").ClickAsync();
        await page.Locator("#note-text").FillAsync("A *first* thought");
        await page.Locator("form#note button[type=submit]").ClickAsync();
        var note = page.Locator("li.message-note");
        await Expect(note.Locator("em")).ToHaveTextAsync("first");

        await note.Locator("a.edit-note").ClickAsync();
        await page.Locator("#note-text").FillAsync("A **second** thought");
        await page.Locator("form#edit-note button[type=submit]").ClickAsync();
        await Expect(note.Locator("strong")).ToHaveTextAsync("second");
        await Expect(page.Locator(".status-message")).ToHaveTextAsync("Note saved.");

        await note.Locator("a.edit-note").ClickAsync();
        await page.Locator("form#delete-note button[type=submit]").ClickAsync();
        await Expect(page.Locator(".status-message")).ToHaveTextAsync("Note deleted.");
        await Expect(note).ToHaveCountAsync(0);
        await Expect(page.Locator("li.message-code")).ToHaveCountAsync(1);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task A_single_rerun_streams_its_output_in_place_without_a_reload()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, Ticking("only", 4)), "succeeded");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        await page.Locator("button.rerun-button").ClickAsync();

        var reply = page.Locator("#chat > li.message-code > article.reply");
        await Expect(reply).ToHaveAttributeAsync("data-status", "running");
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToContainTextAsync("only 1");
        await ExpectStatusAsync(reply, "succeeded");
        await Expect(reply.Locator(".comparison")).ToHaveTextAsync("same");
        await Expect(page.Locator("details.older-replies > summary")).ToHaveTextAsync("1 earlier run");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task A_message_the_script_appended_can_be_rerun_live_through_the_pages_one_rerun_form()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('first')"), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, Ticking("appended", 3)), "succeeded");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        var appended = page.Locator("#chat > li.message-code:last-child");
        await appended.Locator("button.rerun-button").ClickAsync();

        var reply = appended.Locator(":scope > article.reply");
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToContainTextAsync("appended 1");
        await ExpectStatusAsync(reply, "succeeded");
        await Expect(reply.Locator(".comparison")).ToHaveTextAsync("same");
        await Expect(appended.Locator("details.older-replies > summary")).ToHaveTextAsync("1 earlier run");
        await Expect(page.Locator("#chat > li.message-code:first-child details.older-replies")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Rerun_all_streams_every_reply_live_with_its_progress_and_one_stop_for_the_whole_rerun()
    {
        var folder = ScreenshotTests.ScreenshotFolder();
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, Ticking("a", 2), title: "Three slow steps"), "succeeded");
        // The middle one runs long enough (4 s) for a Stop to land in it on a busy machine.
        await ExpectStatusAsync(await SendAsync(page, Ticking("b", 8)), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, Ticking("c", 2)), "succeeded");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        var progress = page.Locator("#rerun-progress");
        var messages = page.Locator("#chat > li.message-code");

        await page.Locator("form#rerun-all button").ClickAsync();

        await Expect(progress).ToContainTextAsync("1 of 3");
        await Expect(progress).ToContainTextAsync("2 of 3", new() { Timeout = 15_000 });
        var second = messages.Nth(1).Locator(":scope > article.reply");
        await Expect(second).ToHaveAttributeAsync("data-status", "running");
        await Expect(second.Locator("pre[data-stream=stdout]")).ToContainTextAsync("b 1");
        await Expect(page.Locator("#rerun-stop")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-rerun-all-live.png") });
        await Expect(messages.Nth(0).Locator(":scope > article.reply .comparison")).ToHaveTextAsync("same");
        await Expect(progress).ToHaveTextAsync("Re-ran 3 snippets: 3 same, 0 changed.", new() { Timeout = 20_000 });
        await Expect(page.Locator("#rerun-stop")).ToBeHiddenAsync();
        await Expect(page.Locator("#chat > li.message-code > article.reply .comparison")).ToHaveCountAsync(3);

        // Again, stopped in the middle: the run going on is stopped and the rest are not started.
        await page.Locator("form#rerun-all button").ClickAsync();
        await Expect(progress).ToContainTextAsync("2 of 3", new() { Timeout = 15_000 });
        await Expect(second.Locator("pre[data-stream=stdout]")).ToContainTextAsync("b 0");
        await page.Locator("#rerun-stop").ClickAsync();
        await Expect(progress).ToHaveTextAsync("Stopped the re-run after 2 of 3.");
        await ExpectStatusAsync(second, "killed");
        await Expect(messages.Nth(2).Locator("details.older-replies > summary")).ToHaveTextAsync("1 earlier run");
        await Expect(page.Locator("#compose .cm-editor")).ToHaveClassAsync(Focused);
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        session.AssertNoProblems();
    }

    // Prints a line a few times, half a second apart: slow enough to watch it stream.
    private static string Ticking(string name, int times) =>
        $"import time\nfor i in range({times}):\n    print('{name}', i, flush=True)\n    time.sleep(0.5)";
}
