using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using CodeChatter.Core.Chat;
using CodeChatter.Benchmarks;

// The performance table of the README, measured in one run so that ratios are fair on a shared,
// noisy machine. Usage: dotnet run -c Release --project CodeChatter.Benchmarks [-- --quick] [--render-only | --sessions-only]
// --quick: fewer samples and 10,000 seeded runs instead of 100,000.
// --render-only: only the page render times (and peak memory), skipping API latency and throughput.
// --sessions-only: only the bare python and warm Jupyter baselines and the session rows (latency, memory,
// throughput at 8 clients against fresh-box API runs at 8 clients).
// --search-only: the page renders beside full-text search over the seeded runs (typical queries, median / p95)
// and what the search index's triggers add to storing one run.
// --browser-only: only the browser rows: Ctrl+Enter in the chat page's editor to the printed line on screen,
// fresh and session mode (headless Debian chromium through Playwright, /usr/bin/chromium).
var quick = args.Contains("--quick");
var searchOnly = args.Contains("--search-only");
var renderOnly = args.Contains("--render-only") || searchOnly;
var sessionsOnly = args.Contains("--sessions-only");
// --runs-only: only fresh-box API latency and throughput, with the profile of where a run's time goes.
var runsOnly = args.Contains("--runs-only");
var browserOnly = args.Contains("--browser-only");
// --cluster-only: only the cluster rows: the embedded default against a web instance, Redis and one then two runners.
var clusterOnly = args.Contains("--cluster-only");
// --app-setting Key:Path=value (repeatable): configuration for the app under test, e.g. Execution:MaxConcurrentRuns=4.
var appSettings = args.Zip(args.Skip(1)).Where(pair => pair.First == "--app-setting" && pair.Second.Contains('='))
    .Select(pair => pair.Second.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
if (new[] { renderOnly, sessionsOnly, runsOnly, browserOnly, clusterOnly }.Count(only => only) > 1)
{
    Console.Error.WriteLine("--render-only, --search-only, --sessions-only, --runs-only, --browser-only and --cluster-only exclude each other.");
    return 2;
}
var latencyRuns = quick ? 50 : 300;
var throughputWindow = TimeSpan.FromSeconds(quick ? 2 : 5);
var renderRequests = quick ? 20 : 60;
// Each page is shown this many times before it is timed: the tiered JIT recompiles a method with full
// optimization only after some 30 calls, and the first requests of a page measure that, not rendering.
const int renderWarmUp = 30;
var seededRuns = quick ? 10_000 : 100_000;

var repositoryRoot = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("codechatter-bench-");
var rows = new List<(string Measure, string Value, string Note)>();
void Row(string measure, string value, string note = "") { rows.Add((measure, value, note)); Console.Error.WriteLine($"  {measure}: {value} {note}"); }
string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "/s";
string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
string MiB(double kib) => (kib / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
string? sessionsProblem = null;
// Each step's mean over a measurement, from the app's /metrics (see PhaseProfile).
void ProfileRows(string over, IReadOnlyList<(string Phase, double MeanMs, double PerRequest)> phases)
{
    foreach (var (phase, meanMs, perRequest) in phases)
    {
        Row($"profile, {over}: {phase}, mean", meanMs.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
            double.IsNaN(perRequest) ? "" : $"{perRequest.ToString("0.00", CultureInfo.InvariantCulture)} per request");
    }
}

// The set-up: the system packages the benchmark needs, its Jupyter baseline included.
Console.Error.WriteLine("Checking the benchmark's prerequisites (scripts/prerequisites.sh bench)...");
var setUp = await Cli.Wrap("bash")
    .WithArguments([Path.Combine(repositoryRoot, "scripts", "prerequisites.sh"), "bench"])
    .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Console.Error.WriteLine("  " + line)))
    .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Console.Error.WriteLine("  " + line)))
    .WithValidation(CommandResultValidation.None)
    .ExecuteAsync();
if (setUp.ExitCode != 0)
{
    Console.Error.WriteLine($"scripts/prerequisites.sh bench failed (exit {setUp.ExitCode}).");
    return 1;
}

if (clusterOnly)
{
    try
    {
        await ClusterBenchmark.RunAsync(repositoryRoot, work.FullName, latencyRuns, throughputWindow, Row);
        PrintTable();
        return 0;
    }
    finally
    {
        try { work.Delete(recursive: true); } catch (IOException) { }
    }
}

try
{
    Console.Error.WriteLine("Building and starting the app (Release, temporary SQLite database)...");
    await using var app = await AppUnderTest.StartAsync(repositoryRoot, work.FullName, appSettings);
    foreach (var (key, value) in appSettings) Row($"app setting {key}", value, "set with --app-setting for this run");
    const string password = "Bench-password-1";
    await app.RunVerbAsync("users", "create", "--email", "bench@example.com", "--password", password);
    await app.RunVerbAsync("users", "create", "--email", "history@example.com", "--password", password);
    var token = (await app.RunVerbAsync("tokens", "create", "--email", "bench@example.com", "--name", "benchmark")).Split('\n')[^1].Trim();
    using var api = new HttpClient { BaseAddress = app.Address };
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    // Fresh-mode runs: each POST makes a new conversation in fresh mode, a fresh box per message, the first
    // version's way (without a mode a new conversation is a session). An app whose engine has sessions but
    // whose API does not take `mode` yet gets empty fresh-mode conversations made in the database instead,
    // one per POST, so these rows still measure fresh boxes.
    var freshConversations = new Queue<long>();
    var freshConversationsLock = new SemaphoreSlim(1);
    var apiTakesMode = true;
    async Task AddFreshConversationsAsync(int count)
    {
        foreach (var id in await Seeder.EmptyConversationsAsync(app.DatabasePath, "bench@example.com", count, ConversationMode.Fresh)) freshConversations.Enqueue(id);
    }
    async Task<long> NextFreshConversationAsync()
    {
        await freshConversationsLock.WaitAsync();
        try
        {
            // Made ahead (below); running out only costs one sample a batch.
            if (freshConversations.Count == 0) await AddFreshConversationsAsync(1000);
            return freshConversations.Dequeue();
        }
        finally
        {
            freshConversationsLock.Release();
        }
    }

    async Task<string?> PostFreshPrintOneAsync(long? conversationId)
    {
        using var response = await api.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)", mode = "fresh", conversationId });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/runs: {(int)response.StatusCode} {body}");
        using var run = JsonDocument.Parse(body);
        if (run.RootElement.GetProperty("status").GetString() != "succeeded" || run.RootElement.GetProperty("stdout").GetString() != "1\n")
        {
            throw new InvalidOperationException("unexpected run: " + body);
        }
        // No mode at all: an app from before sessions, where every run is a fresh one.
        return run.RootElement.TryGetProperty("mode", out var mode) ? mode.GetString() : null;
    }

    async Task PostPrintOneAsync()
    {
        var mode = await PostFreshPrintOneAsync(apiTakesMode ? null : await NextFreshConversationAsync());
        if (mode is not (null or "fresh")) throw new InvalidOperationException($"a fresh-mode run answered with mode '{mode}'");
    }

    if (await PostFreshPrintOneAsync(null) is not (null or "fresh"))
    {
        apiTakesMode = false;
        await AddFreshConversationsAsync(sessionsOnly ? 2000 : 5000);
        Row("fresh-mode API runs below", "into database-made conversations",
            "this build's API ignores `mode` (a new conversation is a session), so each fresh-mode POST goes to an empty fresh-mode conversation of its own made in the database beforehand");
    }

    if (!renderOnly && !browserOnly)
    {
        Console.Error.WriteLine("Latency, one at a time...");
        var bare = await LatencySample.MeasureAsync(latencyRuns / 2, ProcessBaselines.BarePythonAsync);
        Row("bare `python3 -c 'print(1)'` process, median", Ms(bare.Median), $"p90 {Ms(bare.P90)}, p95 {Ms(bare.P95)}, p99 {Ms(bare.P99)}");
        if (!sessionsOnly)
        {
            var sandboxed = await LatencySample.MeasureAsync(latencyRuns / 2, ProcessBaselines.SandboxedPythonAsync);
            var profileBefore = await PhaseProfile.TakeAsync(app.Address);
            var apiLatency = await LatencySample.MeasureAsync(latencyRuns, PostPrintOneAsync, warmUp: 20);
            var oneAtATime = PhaseProfile.Between(profileBefore, await PhaseProfile.TakeAsync(app.Address));
            Row("cold bubblewrap python process, median", Ms(sandboxed.Median), $"p90 {Ms(sandboxed.P90)}");
            Row("`POST /api/runs` print(1), fresh mode, median", Ms(apiLatency.Median), $"p90 {Ms(apiLatency.P90)}, p99 {Ms(apiLatency.P99)}");
            Row("API median / bare python median", Ratio(apiLatency.Median / bare.Median), "target < 0.80");
            Row("API p99 / bare python p99", Ratio(apiLatency.P99 / bare.P99), "target < 2.00");
            Row("API median / cold bubblewrap median", Ratio(apiLatency.Median / sandboxed.Median));
            ProfileRows("one at a time", oneAtATime);
        }

        if (!runsOnly)
        {
            Console.Error.WriteLine("Warm Jupyter kernel round trip...");
            var jupyter = await JupyterBaseline.MeasureAsync(repositoryRoot, latencyRuns, warmUp: 20);
            Row("warm Jupyter kernel `execute(\"print(1)\")` round trip, median / p95", $"{Ms(jupyter.Median)} / {Ms(jupyter.P95)}",
                $"one ipykernel (Debian python3-ipykernel) via jupyter_client, {jupyter.Count} executes after 20 warm-up ones, each until its execute_reply and idle status");
            if (jupyter.KernelResidentKib is { } kernelKib) Row("idle Jupyter kernel memory (VmRSS)", MiB(kernelKib), "the ipykernel process, 1 s after its last execute");

            Console.Error.WriteLine("Session latency and memory...");
            try
            {
                var (session, identity) = await SessionConversation.StartAsync(api, SessionMemory.IdentifyCode);
                var sessionLatency = await LatencySample.MeasureAsync(latencyRuns, session.PrintOneAsync, warmUp: 20);
                Row("`POST /api/runs` print(1) into a live Python session, median / p95", $"{Ms(sessionLatency.Median)} / {Ms(sessionLatency.P95)}",
                    $"one session conversation, {latencyRuns} messages after 20 warm-up ones; p99 {Ms(sessionLatency.P99)}");
                Row("session median / bare python median", Ratio(sessionLatency.Median / bare.Median), "target <= 0.50");
                Row("session median / warm Jupyter round trip median", Ratio(sessionLatency.Median / jupyter.Median), "target <= 2.00");

                await Task.Delay(TimeSpan.FromSeconds(2));
                try
                {
                    var footprint = SessionMemory.Find(identity, app.ProcessId);
                    var cgroup = footprint.CgroupBytes is { } bytes
                        ? $"its cgroup charges {MiB(bytes / 1024.0)} ({footprint.CgroupFile})"
                        : "it has no memory cgroup of its own here (same as the server's)";
                    Row("idle Python session memory (VmRSS)", MiB(footprint.ResidentKib),
                        $"host pid {footprint.HostPid}, uid {footprint.Uid}{(footprint.IsDashC ? ", the `-c` driver" : "")}, found by the pid namespace and in-box pid the session printed; " +
                        $"/proc/N/status 2 s after its last message; Pss {(footprint.ProportionalKib is { } pss ? MiB(pss) : "unreadable")}; " +
                        $"{footprint.BoxProcesses} process(es) in its pid namespace, {MiB(footprint.BoxResidentKib)} RSS together; {cgroup}");
                }
                catch (InvalidOperationException exception)
                {
                    Row("idle Python session memory (VmRSS)", "not found", exception.Message);
                }
            }
            catch (SessionsUnavailableException exception)
            {
                sessionsProblem = $"{exception.Message}. The app answered: {exception.Answer}";
                Row("session rows", "not measured", exception.Message);
            }

        }

        double? freshRateAt8 = null;
        if (!sessionsOnly)
        {
            Console.Error.WriteLine("Throughput...");
            foreach (var clients in new[] { 1, 2, 4, 8, 16 })
            {
                var throughputBefore = await PhaseProfile.TakeAsync(app.Address);
                var apiRate = await Throughput.MeasureAsync(clients, throughputWindow, PostPrintOneAsync);
                var atThisConcurrency = PhaseProfile.Between(throughputBefore, await PhaseProfile.TakeAsync(app.Address));
                var boxRate = await Throughput.MeasureAsync(clients, throughputWindow, ProcessBaselines.SandboxedPythonAsync);
                if (clients == 8) freshRateAt8 = apiRate;
                Row($"throughput at {clients} client(s): API / bare sandboxed starts", $"{Rate(apiRate)} / {Rate(boxRate)}",
                    $"ratio {Ratio(apiRate / boxRate)}" + (clients == 8 ? ", target >= 0.80" : ""));
                if (clients == 8) ProfileRows("8 clients", atThisConcurrency);
            }
        }

        if (sessionsProblem is null && !runsOnly)
        {
            Console.Error.WriteLine("Session throughput at 8 clients...");
            try
            {
                // Each client its own conversation and session, started (and warmed by a message) before the clock runs.
                var sessions = new List<SessionConversation>();
                for (var i = 0; i < 8; i++)
                {
                    var (session, _) = await SessionConversation.StartAsync(api, "print(1)");
                    await session.PrintOneAsync();
                    sessions.Add(session);
                }
                if (freshRateAt8 is null)
                {
                    for (var i = 0; i < 20; i++) await PostPrintOneAsync();
                    freshRateAt8 = await Throughput.MeasureAsync(8, throughputWindow, PostPrintOneAsync);
                }
                var sessionRate = await Throughput.MeasureAsync(8, throughputWindow, client => sessions[client].PrintOneAsync());
                Row("throughput at 8 clients: session messages (8 conversations) / fresh-mode API runs", $"{Rate(sessionRate)} / {Rate(freshRateAt8.Value)}",
                    $"ratio {Ratio(sessionRate / freshRateAt8.Value)}, target >= 3.00");
            }
            catch (SessionsUnavailableException exception)
            {
                sessionsProblem = $"{exception.Message}. The app answered: {exception.Answer}";
                Row("session throughput at 8 clients", "not measured", exception.Message);
            }
        }
    }

    if (browserOnly || (!renderOnly && !sessionsOnly && !runsOnly))
    {
        Console.Error.WriteLine("Browser: Ctrl+Enter to the first output line...");
        await app.RunVerbAsync("users", "create", "--email", "browser@example.com", "--password", password);
        var browserSamples = quick ? 20 : 40;
        foreach (var browserMode in await BrowserLatency.CtrlEnterToFirstOutputAsync(app.Address, "browser@example.com", password, browserSamples, warmUp: 5))
        {
            var total = browserMode.Total;
            Row($"browser: Ctrl+Enter to first output line, {browserMode.Mode} mode, median / p95", $"{Ms(total.Median)} / {Ms(total.P95)}",
                $"p90 {Ms(total.P90)}; {total.Count} messages `print(N)` after 5 warm-up ones, each after the previous reply ended; in-page performance.now() " +
                "from the keydown (capture listener on document) to a MutationObserver on #chat seeing the line in the reply's pre[data-stream=stdout]; " +
                $"headless Debian chromium via Playwright; on the way, median: Start POST answered at {Ms(browserMode.StartAnswered.Median)}, " +
                $"new message fetched at {Ms(browserMode.MessageFetched.Median)}; {browserMode.Streamed} of {total.Count} lines came through the live stream, " +
                "the others with the message drawn after its run had ended");
        }
    }

    if (!sessionsOnly && !runsOnly && !browserOnly)
    {
        Console.Error.WriteLine($"Seeding a 500-snippet conversation and {seededRuns:N0} stored runs...");
        var seeding = Stopwatch.StartNew();
        var conversationId = await Seeder.ConversationAsync(app.DatabasePath, "bench@example.com", 500);
        // Every API run without a conversation id makes a new one, so a real owner of such a conversation
        // has thousands: the page's side list must not grow with them.
        await Seeder.EmptyConversationsAsync(app.DatabasePath, "bench@example.com", 10_000, ConversationMode.Fresh);
        await Seeder.RunsAsync(app.DatabasePath, "history@example.com", seededRuns, snippetsPerConversation: 50);
        Console.Error.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");
        if (searchOnly) Row($"seed {seededRuns:N0} stored runs (search triggers on)", $"{seeding.Elapsed.TotalSeconds:0.0} s", "EF batches of 50 conversations");

        using var benchBrowser = await SignedInClientAsync(app.Address, "bench@example.com", password);
        using var historyBrowser = await SignedInClientAsync(app.Address, "history@example.com", password);
        var conversationPage = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(benchBrowser, $"/Conversations/{conversationId}"), renderWarmUp);
        var runsPage = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(historyBrowser, "/Runs"), renderWarmUp);
        var runsFiltered = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(historyBrowser, "/Runs?Status=failed&Text=range"), renderWarmUp);
        Row("render conversation of 500 snippets, median / p95", $"{Ms(conversationPage.Median)} / {Ms(conversationPage.P95)}", "target p95 < 40 ms");
        var conversationHtml = await benchBrowser.GetByteArrayAsync($"/Conversations/{conversationId}");
        Row("conversation of 500 snippets: HTML size", $"{conversationHtml.Length / 1024.0:0} KB", "owner has 10,000 conversations; target < 400 KB");
        // The page draws the newest 100 messages; every one of them is a link away (?all=true).
        var wholeConversation = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(benchBrowser, $"/Conversations/{conversationId}?all=true"), renderWarmUp);
        var wholeHtml = await benchBrowser.GetByteArrayAsync($"/Conversations/{conversationId}?all=true");
        Row("render conversation of 500 snippets with every message (?all=true), median / p95", $"{Ms(wholeConversation.Median)} / {Ms(wholeConversation.P95)}",
            $"{wholeHtml.Length / 1024.0:0} KB of HTML");
        Row($"render runs page, {seededRuns:N0} runs, median / p95", $"{Ms(runsPage.Median)} / {Ms(runsPage.P95)}", "target p95 < 50 ms");
        Row($"render runs page filtered (status + text), median / p95", $"{Ms(runsFiltered.Median)} / {Ms(runsFiltered.P95)}", "target p95 < 50 ms");
        if (searchOnly)
        {
            foreach (var (name, query) in SearchBenchmark.Queries)
            {
                var search = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(historyBrowser, "/Search?" + query), renderWarmUp);
                Row($"search page, {seededRuns:N0} runs, {name}, median / p95", $"{Ms(search.Median)} / {Ms(search.P95)}", "target p95 < 50 ms");
            }
            var (with, without) = await SearchBenchmark.TriggerCostPerRunAsync(app.DatabasePath, "bench@example.com", quick ? 200 : 500, rounds: 3);
            Row("store one run (message + result), with / without search triggers", $"{Ms(with)} / {Ms(without)}", $"the index adds {Ms(with - without)} a run");
        }
        Row("server peak memory (VmHWM)", $"{app.PeakMemoryBytes() / (1024 * 1024)} MiB");
    }
}
finally
{
    try { work.Delete(recursive: true); } catch (IOException) { }
}

PrintTable();
if (sessionsProblem is not null)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine("The session rows were not measured: " + sessionsProblem);
    return 1;
}
return 0;

void PrintTable()
{
    Console.WriteLine($"CodeChatter benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores{(quick ? " (quick)" : "")}{(renderOnly ? " (render only)" : "")}{(sessionsOnly ? " (sessions only)" : "")}{(searchOnly ? " (search)" : "")}{(clusterOnly ? " (cluster)" : "")}");
    Console.WriteLine();
    Console.WriteLine("| measure | value | note |");
    Console.WriteLine("| --- | --- | --- |");
    foreach (var (measure, value, note) in rows) Console.WriteLine($"| {measure} | {value} | {note} |");
}

static async Task GetPageAsync(HttpClient client, string path)
{
    using var response = await client.GetAsync(path);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
    await response.Content.ReadAsStringAsync();
}

static async Task<HttpClient> SignedInClientAsync(Uri address, string email, string password)
{
    var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = address };
    var form = await client.GetStringAsync("/Identity/Account/Login");
    // A benchmark, not a test: one hidden field is all it needs from the form.
    var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    using var response = await client.PostAsync("/Identity/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["Input.Email"] = email, ["Input.Password"] = password, ["__RequestVerificationToken"] = antiforgery,
    }));
    if ((int)response.StatusCode != 302) throw new InvalidOperationException($"signing in as {email} failed: {(int)response.StatusCode}");
    return client;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "CodeChatter.sln"))) return directory.FullName;
    }
    throw new InvalidOperationException("run the benchmark from inside the CodeChatter repository");
}
