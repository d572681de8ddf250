using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>
/// A share link in real browsers: the owner makes one from the chat page, someone who is not signed in opens
/// it in a private window (a new browser context) and reads the conversation, and a second person copies it.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ShareBrowserTests(BrowserFixture browser)
{
    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new() { Width = 1280, Height = 900 } };

    [Fact]
    public async Task A_shared_conversation_opens_read_only_in_a_private_window_and_a_second_person_copies_it()
    {
        await using var owner = await browser.NewSessionAsync(Desktop);
        var page = owner.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('shared hello')", title: "Shared squares"), "succeeded");
        await page.Locator("details.note-compose summary").ClickAsync();
        await page.Locator("#note-text").FillAsync("A **bold** note for readers");
        await page.Locator("#note button[type=submit]").ClickAsync();
        await Expect(page.Locator("li.message-note .note-body strong")).ToHaveTextAsync("bold");

        await OpenAsync(page.Locator("details#share"));
        await page.Locator("#share-expiry").SelectOptionAsync("7");
        await page.Locator("#share-create button[type=submit]").ClickAsync();
        var link = page.Locator("li.share-link code");
        await Expect(link).ToHaveCountAsync(1);
        var address = await link.TextContentAsync() ?? "";
        Assert.Contains("/s/", address);
        await page.Locator("details#share").ScreenshotAsync(new() { Path = Path.Combine(ScreenshotTests.ScreenshotFolder(), "share-panel.png") });
        owner.AssertNoProblems();

        await using (var stranger = await browser.NewSessionAsync(Desktop))
        {
            var shared = stranger.Page;
            var response = await shared.GotoAsync(address);
            Assert.Equal(200, response!.Status);
            await Expect(shared.Locator("h1#conversation-title")).ToHaveTextAsync("Shared squares");
            await Expect(shared.Locator("li.message-code pre.code")).ToContainTextAsync("print('shared hello')");
            await Expect(shared.Locator("article.reply pre[data-stream=stdout]")).ToContainTextAsync("shared hello");
            await Expect(shared.Locator("li.message-note .note-body strong")).ToHaveTextAsync("bold");
            await Expect(shared.Locator("meta[name=robots]")).ToHaveAttributeAsync("content", "noindex, nofollow");
            await shared.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotTests.ScreenshotFolder(), "share-private-window.png"), FullPage = true });
            await Expect(shared.Locator("form")).ToHaveCountAsync(0);
            Assert.False(stranger.DialogOpened);
            stranger.AssertNoProblems();
        }

        await using var reader = await browser.NewSessionAsync(Desktop);
        var readerPage = reader.Page;
        await RegisterAsync(readerPage);
        await readerPage.GotoAsync(address);
        await Expect(readerPage.Locator("form")).ToHaveCountAsync(1);
        await readerPage.Locator("#copy-conversation button[type=submit]").ClickAsync();
        await readerPage.WaitForURLAsync("**/Conversations/*");
        await Expect(readerPage.Locator("h1#conversation-title")).ToHaveTextAsync("Copy of Shared squares");
        await Expect(readerPage.Locator("li.message-code pre.code")).ToContainTextAsync("print('shared hello')");
        await Expect(readerPage.Locator("li.message-note .note-body strong")).ToHaveTextAsync("bold");
        // Nothing ran: the copy has the messages and no reply.
        await Expect(readerPage.Locator("article.reply")).ToHaveCountAsync(0);
        reader.AssertNoProblems();
    }

    // A click on a summary can land while the page still settles after the note's post (the chat scrolls to its
    // newest message): the panel is opened until it is open, and what it holds is only used then.
    private static async Task OpenAsync(ILocator details)
    {
        for (var attempt = 1; ; attempt++)
        {
            await details.Locator("> summary").ClickAsync();
            try
            {
                await Expect(details).ToHaveAttributeAsync("open", "", new() { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }
}
