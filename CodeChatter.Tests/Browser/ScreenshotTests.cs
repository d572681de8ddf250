using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>
/// Pictures of the main pages for people to look at (light, dark, phone width), written to the git-ignored
/// artifacts/screenshots/ at the repository root. The pages must also load without any CSP violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_chat_the_runs_and_the_admin_dashboard_are_photographed_in_light_dark_and_phone_width()
    {
        var folder = ScreenshotFolder();
        await using var session = await browser.NewSessionAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = session.Page;
        var email = await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "name = 'world'\nprint(f'hello, {name}')", title: "A first chat"), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, "def half(n):\n    return n / 0\n\nprint('about to divide')\nhalf(4)"), "failed");
        var longOutput = await SendAsync(page, "for i in range(60):\n    print(f'line {i:02}: ' + '#' * (i % 30))");
        await ExpectStatusAsync(longOutput, "succeeded");
        await Expect(longOutput.GetByRole(AriaRole.Button, new() { Name = "Show all" })).ToBeVisibleAsync();
        await page.Locator("button.rerun-button").First.ClickAsync();
        // The re-run streams in place; it has ended when its comparison with the run before shows.
        await Expect(page.Locator("#chat > li.message-code").First.Locator(":scope > article.reply .comparison")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var chatUrl = page.Url;

        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-light.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-dark.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        // A run in flight, as it streams.
        var running = await SendAsync(page, "import time\nfor i in range(20):\n    print('tick', i, flush=True)\n    time.sleep(0.2)");
        await Expect(running.Locator("pre[data-stream=stdout]")).ToContainTextAsync("tick 3");
        await running.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-running.png") });
        await running.Locator("form.stop-form button").ClickAsync();
        await ExpectStatusAsync(running, "killed");

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(chatUrl);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-phone.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-phone-dark.png") });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(1280, 900);

        await page.GotoAsync("/Runs");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "runs.png"), FullPage = true });
        session.AssertNoProblems();

        // The admin is the first account registered on this server, by whichever browser test came first.
        await SignOutAsync(page);
        await SignInAsync(page, await AdminEmailAsync() ?? email);
        var admin = await page.GotoAsync("/Admin");
        if (admin is { Status: 200 })
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "admin-dashboard.png"), FullPage = true });
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "admin-dashboard-dark.png"), FullPage = true });
            session.AssertNoProblems();
        }
        // Until the admin area exists, /Admin is a 404 and there is no dashboard to photograph.
    }

    private async Task<string?> AdminEmailAsync()
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        return (await users.GetUsersInRoleAsync(Roles.Admin)).FirstOrDefault()?.Email;
    }

    internal static string ScreenshotFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CodeChatter.sln"))) directory = directory.Parent;
        var root = directory?.FullName ?? throw new InvalidOperationException("CodeChatter.sln not found above the test assembly.");
        return Directory.CreateDirectory(Path.Combine(root, "artifacts", "screenshots")).FullName;
    }
}
