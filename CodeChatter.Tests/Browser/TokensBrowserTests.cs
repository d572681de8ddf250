using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class TokensBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_new_token_is_copied_with_one_click_and_revoking_asks_first()
    {
        await using var session = await browser.NewSessionAsync();
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = session.Page;
        await RegisterAsync(page);
        await page.GotoAsync("/Account/Tokens");
        await page.Locator("#Input_Name").FillAsync("ci");
        await page.Locator("form#create-token button[type=submit]").ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.Locator(".copy-feedback")).ToHaveTextAsync("Copied to the clipboard.");
        Assert.Equal(await page.Locator("#new-token").TextContentAsync(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        var revoke = page.Locator("form.revoke-token button");
        await Expect(revoke).ToBeHiddenAsync();
        await page.Locator("details.confirm-revoke summary").ClickAsync();
        await revoke.ClickAsync();
        await Expect(page.Locator("td.token-state")).ToContainTextAsync("revoked");
        await Expect(page.Locator(".status-message")).ToContainTextAsync("revoked");
        session.AssertNoProblems();
    }
}
