using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>Wide tables scroll inside their own box: the page itself never gets wider than the screen or its column.</summary>
[Collection(BrowserCollection.Name)]
public class TableLayoutTests(BrowserFixture browser)
{
    [Fact]
    public async Task Tables_scroll_inside_their_box_and_never_widen_the_page_on_a_phone_or_the_column_on_a_desktop()
    {
        await using var session = await browser.NewSessionAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('a fairly long line of output ' * 4)", title: "A conversation with a rather long title to widen the table"), "succeeded");
        await page.GotoAsync("/Account/Tokens");
        await page.Locator("#Input_Name").FillAsync("a-token-with-a-long-name-for-a-build-server");
        await page.Locator("form#create-token button[type=submit]").ClickAsync();
        await Expect(page.Locator("#new-token")).ToBeVisibleAsync();

        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 844);
            foreach (var path in new[] { "/Runs", "/Account/Tokens" })
            {
                await page.GotoAsync(path);
                var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                var widest = await page.EvaluateAsync<string>(
                    "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1)).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
                Assert.True(pageWidth <= width, $"{path} at {width} px is {pageWidth} px wide: {widest}");
                var overflow = await page.EvaluateAsync<int>(
                    "() => Math.max(0, ...[...document.querySelectorAll('.table-wrap')].map(w => w.getBoundingClientRect().right - document.querySelector('main').getBoundingClientRect().right))");
                Assert.True(overflow <= 0, $"a table on {path} at {width} px reaches {overflow} px past the main column");
            }
        }
        session.AssertNoProblems();
    }
}
