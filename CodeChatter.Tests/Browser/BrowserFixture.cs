using System.Net;
using CodeChatter.Tests.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CodeChatter.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// The app on real Kestrel (127.0.0.1, a free port) with its own migrated SQLite file, and Debian's
/// Chromium driven by Playwright: one of each for every browser test, a fresh browser context per test.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ChatAppFactory App { get; } = new KestrelChatAppFactory();

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Playwright's own browser download is never used: the tests drive the distribution's Chromium.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (./test.sh installs it).");
        }
        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (no cookies) with one page that records CSP violations, script errors and dialogs.</summary>
    public async Task<BrowserSession> NewSessionAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseUrl;
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    private sealed class KestrelChatAppFactory : ChatAppFactory
    {
        public KestrelChatAppFactory()
        {
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        }

        // Every browser test is a new person whose sessions stay live (idle for 15 minutes); the machine-wide
        // default (four per core) would refuse a later test's first message in a session conversation.
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Execution:MaxSessions"] = "200" };
    }
}

/// <summary>One browser context and its page, with what went wrong in it.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Type == "error")
            {
                lock (_problems) _problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_problems) _problems.Add($"page error: {error}");
        };
        page.Dialog += async (_, dialog) =>
        {
            DialogOpened = true;
            await dialog.DismissAsync();
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Whether any alert, confirm or prompt opened (an injected script would open one).</summary>
    public bool DialogOpened { get; private set; }

    /// <summary>Fails on any CSP violation, console error or uncaught script error seen so far.</summary>
    public void AssertNoProblems()
    {
        lock (_problems) Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
