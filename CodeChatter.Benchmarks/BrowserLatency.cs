using System.Text.Json;
using Microsoft.Playwright;

namespace CodeChatter.Benchmarks;

/// <summary>
/// What a person sees in the browser: from pressing Ctrl+Enter in the chat page's code editor to the first
/// line a <c>print</c> writes showing in the reply's stdout. Debian's Chromium (headless) driven by
/// Playwright, signed in through the real sign-in page, one conversation per mode made on the New page.
/// Both ends are taken inside the page with <c>performance.now()</c>: a capture-phase keydown listener on the
/// document (it runs before the editor's own Ctrl+Enter) and a MutationObserver on the messages list that
/// sees the printed line in a <c>pre[data-stream="stdout"]</c>; Playwright's own round trips are outside them.
/// </summary>
internal static class BrowserLatency
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>
    /// Signs in as <paramref name="email"/>, makes a fresh-mode and a session-mode conversation and, in each,
    /// sends <paramref name="warmUp"/> + <paramref name="samples"/> messages <c>print(N)</c> one after the other
    /// (each after the previous reply has ended); returns the fresh-mode result, then the session-mode one.
    /// </summary>
    public static async Task<IReadOnlyList<BrowserLatencyResult>> CtrlEnterToFirstOutputAsync(
        Uri appAddress, string email, string password, int samples, int warmUp)
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = appAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => { lock (problems) problems.Add(error); };

        await SignInAsync(page, email, password);
        var results = new List<BrowserLatencyResult>();
        // Distinct numbers of one length: no printed line is a part of another.
        var next = 100_000;
        foreach (var mode in new[] { "fresh", "session" })
        {
            await NewConversationAsync(page, mode);
            var total = new List<double>();
            var startAnswered = new List<double>();
            var messageFetched = new List<double>();
            var streamed = 0;
            var steps = new Dictionary<string, List<double>>();
            for (var i = 0; i < warmUp + samples; i++)
            {
                var timing = await OneSampleAsync(page, next++);
                if (i < warmUp) continue;
                total.Add(timing.Seen - timing.Keydown);
                if (timing.StartEnd is { } startEnd) startAnswered.Add(startEnd - timing.Keydown);
                if (timing.MessageEnd is { } messageEnd) messageFetched.Add(messageEnd - timing.Keydown);
                if (timing.Streamed) streamed++;
                foreach (var (step, at) in timing.Steps)
                {
                    if (!steps.TryGetValue(step, out var list)) steps[step] = list = [];
                    list.Add(at - timing.Keydown);
                }
            }
            // Where the time goes, for whoever reads the log: each step's median time after the keydown.
            Console.Error.WriteLine($"  {mode} mode, medians after Ctrl+Enter: " + string.Join(", ",
                steps.Select(step => $"{step.Key} {new LatencySample(step.Value).Median:0.0} ms ({step.Value.Count})")) +
                $", line seen {new LatencySample(total).Median:0.0} ms");
            results.Add(new BrowserLatencyResult(mode, new LatencySample(total), new LatencySample(startAnswered), new LatencySample(messageFetched), streamed));
        }
        await context.CloseAsync();
        lock (problems)
        {
            if (problems.Count > 0) throw new InvalidOperationException("script errors on the chat page: " + string.Join("; ", problems));
        }
        return results;
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Identity/Account/Login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
        await page.Locator("form#sign-out").WaitForAsync();
    }

    /// <summary>A conversation in <paramref name="mode"/> (the New page's radio buttons), started with a first message as a person would.</summary>
    private static async Task NewConversationAsync(IPage page, string mode)
    {
        await page.GotoAsync("/Conversations/New");
        await page.Locator($"#mode-{mode}").CheckAsync();
        await page.Locator("#Title").FillAsync($"Browser latency, {mode} mode");
        await TypeCodeAsync(page, "print('ready')");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForURLAsync("**/Conversations/*#execution-*");
        await WaitForLastReplyEndedAsync(page);
        // A session's replies show their place in it ([1] session 1); a fresh sandbox's show none.
        var counters = await page.Locator("#chat article.reply .execution-counter").CountAsync();
        if ((mode == "session") != (counters > 0)) throw new InvalidOperationException($"the conversation made in {mode} mode did not run its first message in that mode");
        if (await page.Locator("#compose .cm-content").CountAsync() == 0)
        {
            throw new InvalidOperationException("the chat page has no code editor (.cm-content): its script did not load");
        }
    }

    private static async Task TypeCodeAsync(IPage page, string code)
    {
        await page.Locator("#compose .cm-content").ClickAsync();
        await page.Keyboard.TypeAsync(code);
        // The editor writes every change back to the form's textarea, which the form posts.
        await page.WaitForFunctionAsync("code => document.querySelector('textarea#code').value === code", code);
    }

    private static async Task WaitForLastReplyEndedAsync(IPage page)
    {
        // Ended, swapped for the reply as the server draws it (no events address left), and the compose form free.
        await page.WaitForFunctionAsync("""
            () => {
              const reply = document.querySelector('#chat > li.message-code:last-child > article.reply');
              const form = document.getElementById('compose');
              return reply && reply.dataset.status !== 'running' && !reply.dataset.eventsUrl && form && !form.dataset.busy;
            }
            """);
        var status = await page.Locator("#chat > li.message-code:last-child > article.reply").GetAttributeAsync("data-status");
        if (status != "succeeded") throw new InvalidOperationException($"a benchmark message's run ended '{status}'");
    }

    private static async Task<Timing> OneSampleAsync(IPage page, int number)
    {
        var code = $"print({number})";
        await TypeCodeAsync(page, code);
        await page.EvaluateAsync(Instrument, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForFunctionAsync("() => window.__latency.seen !== null");
        await WaitForLastReplyEndedAsync(page);
        var timing = await page.EvaluateAsync<JsonElement>(ReadBack);
        // The session panel is drawn again after each run (not awaited by the page): let it and the run's
        // tail settle, as a person's typing would, so the next sample does not start inside this one.
        await page.WaitForTimeoutAsync(100);
        return new Timing(
            timing.GetProperty("keydown").GetDouble(),
            timing.GetProperty("seen").GetDouble(),
            timing.GetProperty("startEnd").ValueKind == JsonValueKind.Number ? timing.GetProperty("startEnd").GetDouble() : null,
            timing.GetProperty("messageEnd").ValueKind == JsonValueKind.Number ? timing.GetProperty("messageEnd").GetDouble() : null,
            timing.GetProperty("streamed").GetBoolean(),
            timing.GetProperty("steps").EnumerateObject()
                .Where(step => step.Value.ValueKind == JsonValueKind.Number && step.Value.GetDouble() > 0)
                .Select(step => (step.Name, step.Value.GetDouble())).ToList());
    }

    /// <summary>
    /// The two clocks of one sample, installed just before Ctrl+Enter is pressed. The observer also notes
    /// whether the line came through the live stream (its reply still running) or with a reply drawn ended.
    /// </summary>
    private const string Instrument = """
        expected => {
          if (window.__latency) window.__latency.dispose();
          performance.clearResourceTimings();
          const chat = document.getElementById('chat');
          const state = { keydown: null, seen: null, streamed: false };
          const onKeydown = event => {
            if (state.keydown === null && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) state.keydown = performance.now();
          };
          const observer = new MutationObserver(() => {
            if (state.seen !== null || state.keydown === null) return;
            for (const pre of chat.querySelectorAll('pre[data-stream="stdout"]')) {
              if (pre.textContent.split('\n').includes(expected)) {
                state.seen = performance.now();
                const reply = pre.closest('article.reply');
                state.streamed = Boolean(reply && reply.dataset.status === 'running');
                observer.disconnect();
                return;
              }
            }
          });
          document.addEventListener('keydown', onKeydown, true);
          observer.observe(chat, { childList: true, subtree: true, characterData: true });
          state.dispose = () => { document.removeEventListener('keydown', onKeydown, true); observer.disconnect(); };
          window.__latency = state;
        }
        """;

    /// <summary>The sample's clocks, with when the Start POST and the message's GET ended (resource timing).</summary>
    private const string ReadBack = """
        () => {
          const state = window.__latency;
          const entries = performance.getEntriesByType('resource');
          const start = entries.find(entry => /[?&]handler=Start\b/.test(entry.name));
          const message = entries.find(entry => /[?&]handler=Message\b/.test(entry.name));
          const events = entries.find(entry => /\/Events(\?|$)/.test(entry.name));
          const reply = entries.find(entry => /\/Reply(\?|$)/.test(entry.name));
          state.dispose();
          const steps = {};
          const step = (name, entry, field) => { if (entry) steps[name] = entry[field]; };
          step('Start POST sent', start, 'startTime');
          step('Start POST first byte', start, 'responseStart');
          step('Start POST answered', start, 'responseEnd');
          step('message GET sent', message, 'startTime');
          step('message GET answered', message, 'responseEnd');
          step('events GET sent', events, 'startTime');
          step('events first byte', events, 'responseStart');
          step('ended reply GET sent', reply, 'startTime');
          return {
            keydown: state.keydown, seen: state.seen, streamed: state.streamed, steps,
            startEnd: start ? start.responseEnd : null, messageEnd: message ? message.responseEnd : null,
          };
        }
        """;

    private sealed record Timing(double Keydown, double Seen, double? StartEnd, double? MessageEnd, bool Streamed, IReadOnlyList<(string Step, double At)> Steps);
}

/// <summary>
/// One mode's samples: Ctrl+Enter to the printed line on screen, and on the way there when the Start POST had
/// been answered and when the new message (drawn by the server) had been fetched; how many lines came
/// through the live stream rather than with a reply already drawn ended.
/// </summary>
internal sealed record BrowserLatencyResult(string Mode, LatencySample Total, LatencySample StartAnswered, LatencySample MessageFetched, int Streamed);
