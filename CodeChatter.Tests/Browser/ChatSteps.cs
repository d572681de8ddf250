using CodeChatter.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>What a person does in the browser, step by step, through the pages' own forms and editor.</summary>
internal static class ChatSteps
{
    /// <summary>Registers a new account through the Register page (which signs it in); returns its e-mail.</summary>
    public static async Task<string> RegisterAsync(IPage page)
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/Identity/Account/Register");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(ChatClient.Password);
        await page.Locator("#Input_ConfirmPassword").FillAsync(ChatClient.Password);
        await page.Locator("#registerSubmit").ClickAsync();
        await Expect(page.Locator("form#sign-out")).ToBeVisibleAsync();
        return email;
    }

    public static async Task SignOutAsync(IPage page)
    {
        await page.Locator("form#sign-out button").ClickAsync();
        await Expect(page.Locator("form#sign-out")).ToHaveCountAsync(0);
    }

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Identity/Account/Login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(ChatClient.Password);
        await page.Locator("#login-submit").ClickAsync();
        await Expect(page.Locator("form#sign-out")).ToBeVisibleAsync();
    }

    /// <summary>Types code into the CodeMirror editor with the keyboard, as a person would.</summary>
    public static async Task TypeCodeAsync(IPage page, string code)
    {
        var editor = page.Locator("#compose .cm-content");
        await editor.ClickAsync();
        // Each line is typed from its own start: Enter indents the new line, so that indentation is selected
        // and deleted first (with nothing selected, Delete at the end of the text does nothing).
        var lines = code.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                await page.Keyboard.PressAsync("Enter");
                await page.Keyboard.PressAsync("Shift+Home");
                await page.Keyboard.PressAsync("Delete");
            }
            await page.Keyboard.TypeAsync(lines[i]);
        }
        // The editor writes every change back to the form's textarea.
        await Expect(page.Locator("textarea#code")).ToHaveValueAsync(code);
    }

    /// <summary>Starts a conversation from the New page with the editor and Ctrl+Enter; lands on the conversation.</summary>
    public static async Task<ILocator> StartConversationAsync(IPage page, string code, string? title = null)
    {
        await page.GotoAsync("/Conversations/New");
        if (title is not null) await page.Locator("#Title").FillAsync(title);
        await TypeCodeAsync(page, code);
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForURLAsync("**/Conversations/*#execution-*");
        return LatestReply(page);
    }

    /// <summary>Sends code from a conversation's compose box with the editor and Ctrl+Enter (no page load).</summary>
    public static async Task<ILocator> SendAsync(IPage page, string code)
    {
        var before = await page.Locator("article.reply").CountAsync();
        await TypeCodeAsync(page, code);
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.Locator("article.reply")).ToHaveCountAsync(before + 1);
        return LatestReply(page);
    }

    public static ILocator LatestReply(IPage page) => page.Locator("#chat > li.message-code:last-child > article.reply");

    public static Task ExpectStatusAsync(ILocator reply, string status, float timeout = 15_000) =>
        Expect(reply.Locator(".bubble-meta .status")).ToHaveAttributeAsync("data-status", status, new() { Timeout = timeout });
}
