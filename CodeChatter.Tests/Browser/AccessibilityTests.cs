using System.Text;
using System.Text.Json;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>
/// axe-core (vendored in Browser/assets, never fetched) over the main pages, in light and dark mode: no
/// serious or critical violation. Every finding, whatever its impact, is also written to
/// artifacts/accessibility/axe-report.txt for people to read.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture browser)
{
    private static readonly string AxePath = Path.Combine(AppContext.BaseDirectory, "Browser", "assets", "axe.min.js");

    // Returns every violation with its impact and a few of the elements it names.
    private const string RunAxe = """
        async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact ?? "",
                help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + (n.failureSummary ?? "").replace(/\s+/g, " ")),
            }));
        }
        """;

    [Fact]
    public async Task The_main_pages_have_no_serious_or_critical_axe_violation_in_light_or_dark_mode()
    {
        // Playwright injects axe as an inline script, which the app's CSP rightly refuses; only this test bypasses it.
        await using var session = await browser.NewSessionAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, BypassCSP = true });
        var page = session.Page;
        var report = new StringBuilder();
        var serious = new List<string>();

        foreach (var path in new[] { "/Identity/Account/Login", "/Identity/Account/Register", "/Identity/Account/ForgotPassword" })
        {
            await page.GotoAsync(path);
            await CheckAsync(page, path, report, serious);
        }

        var email = await RegisterAsync(page);
        await MakeAdminAsync(email);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('hello')", title: "Accessible chat"), "succeeded");
        await ExpectStatusAsync(await SendAsync(page, "def half(n):\n    return n / 0\n\nhalf(4)"), "failed");
        await ExpectStatusAsync(await SendAsync(page, "for i in range(60):\n    print(f'line {i:02}: ' + '#' * (i % 30))"), "succeeded");
        var chat = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync("/Account/Tokens");
        await page.Locator("#Input_Name").FillAsync("laptop");
        await page.Locator("form#create-token button[type=submit]").ClickAsync();
        await Expect(page.Locator("#new-token")).ToBeVisibleAsync();
        await CheckAsync(page, "/Account/Tokens (new token shown)", report, serious);
        var personId = await UserIdAsync(email);

        foreach (var path in new[]
                 {
                     "/Conversations/New", chat, "/Conversations", "/Runs", "/Account/Tokens", "/Identity/Account/Manage", "/Identity/Account/Manage/ChangePassword", "/Identity/Account/Manage/Email",
                     "/Admin", "/Admin/Users", $"/Admin/Users/{personId}", "/Admin/Runs", "/Admin/Audit", "/Conversations/999999999",
                 })
        {
            await page.GotoAsync(path);
            await CheckAsync(page, path, report, serious);
        }

        // The chat's session: its panel, a run waiting at its input line, and the notice that the state was lost.
        await page.GotoAsync(chat);
        var asking = await SendAsync(page, "answer = input('answer? ')");
        var inputField = asking.Locator("form.input-line input[name=text]");
        await Expect(inputField).ToBeVisibleAsync();
        await CheckAsync(page, $"{chat} (session, live input line)", report, serious);
        await inputField.FillAsync("42");
        await inputField.PressAsync("Enter");
        await ExpectStatusAsync(asking, "succeeded");
        await page.Locator("#session-restart button").ClickAsync();
        await Expect(page.Locator("#session-panel .state-lost")).ToBeVisibleAsync();
        await CheckAsync(page, $"{chat} (session state lost)", report, serious);

        // At phone width, where tables and output boxes scroll sideways.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in new[] { chat, "/Runs", "/Account/Tokens", "/Admin/Runs", "/Admin/Audit" })
        {
            await page.GotoAsync(path);
            await CheckAsync(page, $"{path} (phone)", report, serious);
        }

        // axe itself is alive: a picture without a text alternative is found.
        await page.SetContentAsync("<!DOCTYPE html><html lang=en><head><title>probe</title></head><body><main><img src=/favicon.ico></main></body></html>");
        await page.AddScriptTagAsync(new() { Path = AxePath });
        Assert.Contains("image-alt", (await page.EvaluateAsync<JsonElement>(RunAxe)).EnumerateArray().Select(v => v.GetProperty("id").GetString()));

        var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "artifacts", "accessibility")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "axe-report.txt"), report.ToString());
        Assert.True(serious.Count == 0, "axe found serious or critical violations:\n" + string.Join("\n", serious));
    }

    private static async Task CheckAsync(IPage page, string name, StringBuilder report, List<string> serious)
    {
        // Bootstrap's buttons fade their colours: without this axe would read a colour halfway from light to dark.
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; }" });
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            if (!await page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'")) await page.AddScriptTagAsync(new() { Path = AxePath });
            var violations = await page.EvaluateAsync<JsonElement>(RunAxe);
            report.AppendLine($"{name} [{scheme}]: {violations.GetArrayLength()} violation(s)");
            foreach (var violation in violations.EnumerateArray())
            {
                var impact = violation.GetProperty("impact").GetString();
                var line = $"{name} [{scheme}] {impact} {violation.GetProperty("id").GetString()}: {violation.GetProperty("help").GetString()}";
                var nodes = string.Join("", violation.GetProperty("nodes").EnumerateArray().Select(n => "\n    " + n.GetString()));
                report.AppendLine(line + nodes);
                if (impact is "serious" or "critical") serious.Add(line + nodes);
            }
        }
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
    }

    private async Task MakeAdminAsync(string email)
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        if (!await users.IsInRoleAsync(user, Roles.Admin)) await users.AddToRoleAsync(user, Roles.Admin);
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>().FindByEmailAsync(email))!.Id;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CodeChatter.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("CodeChatter.sln not found above the test assembly.");
    }
}
