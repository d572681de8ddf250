using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeChatter.Benchmarks;

// The performance table of the README, measured in one run so that ratios are fair on a shared,
// noisy machine. Usage: dotnet run -c Release --project CodeChatter.Benchmarks [-- --quick] [--render-only]
// --quick: fewer samples and 10,000 seeded runs instead of 100,000.
// --render-only: only the page render times (and peak memory), skipping API latency and throughput.
var quick = args.Contains("--quick");
var renderOnly = args.Contains("--render-only");
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

try
{
    Console.Error.WriteLine("Building and starting the app (Release, temporary SQLite database)...");
    await using var app = await AppUnderTest.StartAsync(repositoryRoot, work.FullName);
    const string password = "Bench-password-1";
    await app.RunVerbAsync("users", "create", "--email", "bench@example.com", "--password", password);
    await app.RunVerbAsync("users", "create", "--email", "history@example.com", "--password", password);
    var token = (await app.RunVerbAsync("tokens", "create", "--email", "bench@example.com", "--name", "benchmark")).Split('\n')[^1].Trim();
    using var api = new HttpClient { BaseAddress = app.Address };
    api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    async Task PostPrintOneAsync()
    {
        using var response = await api.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)" });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/runs: {(int)response.StatusCode} {body}");
        using var run = JsonDocument.Parse(body);
        if (run.RootElement.GetProperty("status").GetString() != "succeeded" || run.RootElement.GetProperty("stdout").GetString() != "1\n")
        {
            throw new InvalidOperationException("unexpected run: " + body);
        }
    }

    if (!renderOnly)
    {
        Console.Error.WriteLine("Latency, one at a time...");
        var bare = await LatencySample.MeasureAsync(latencyRuns / 2, ProcessBaselines.BarePythonAsync);
        var sandboxed = await LatencySample.MeasureAsync(latencyRuns / 2, ProcessBaselines.SandboxedPythonAsync);
        var apiLatency = await LatencySample.MeasureAsync(latencyRuns, PostPrintOneAsync, warmUp: 20);
        Row("bare `python3 -c 'print(1)'` process, median", Ms(bare.Median), $"p90 {Ms(bare.P90)}");
        Row("cold bubblewrap python process, median", Ms(sandboxed.Median), $"p90 {Ms(sandboxed.P90)}");
        Row("`POST /api/runs` print(1), median", Ms(apiLatency.Median), $"p90 {Ms(apiLatency.P90)}, p99 {Ms(apiLatency.P99)}");
        Row("API median / bare python median", Ratio(apiLatency.Median / bare.Median), "target < 1.00");
        Row("API median / cold bubblewrap median", Ratio(apiLatency.Median / sandboxed.Median));

        Console.Error.WriteLine("Throughput...");
        foreach (var clients in new[] { 1, 2, 4, 8, 16 })
        {
            var apiRate = await Throughput.MeasureAsync(clients, throughputWindow, PostPrintOneAsync);
            var boxRate = await Throughput.MeasureAsync(clients, throughputWindow, ProcessBaselines.SandboxedPythonAsync);
            Row($"throughput at {clients} client(s): API / bare sandboxed starts", $"{Rate(apiRate)} / {Rate(boxRate)}",
                $"ratio {Ratio(apiRate / boxRate)}" + (clients == 8 ? ", target >= 0.80" : ""));
        }
    }

    Console.Error.WriteLine($"Seeding a 500-snippet conversation and {seededRuns:N0} stored runs...");
    var seeding = Stopwatch.StartNew();
    var conversationId = await Seeder.ConversationAsync(app.DatabasePath, "bench@example.com", 500);
    await Seeder.RunsAsync(app.DatabasePath, "history@example.com", seededRuns, snippetsPerConversation: 50);
    Console.Error.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

    using var benchBrowser = await SignedInClientAsync(app.Address, "bench@example.com", password);
    using var historyBrowser = await SignedInClientAsync(app.Address, "history@example.com", password);
    var conversationPage = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(benchBrowser, $"/Conversations/{conversationId}"), renderWarmUp);
    var runsPage = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(historyBrowser, "/Runs"), renderWarmUp);
    var runsFiltered = await LatencySample.MeasureAsync(renderRequests, () => GetPageAsync(historyBrowser, "/Runs?Status=failed&Text=range"), renderWarmUp);
    Row("render conversation of 500 snippets, median / p95", $"{Ms(conversationPage.Median)} / {Ms(conversationPage.P95)}", "target p95 < 50 ms");
    Row($"render runs page, {seededRuns:N0} runs, median / p95", $"{Ms(runsPage.Median)} / {Ms(runsPage.P95)}", "target p95 < 50 ms");
    Row($"render runs page filtered (status + text), median / p95", $"{Ms(runsFiltered.Median)} / {Ms(runsFiltered.P95)}");
    Row("server peak memory (VmHWM)", $"{app.PeakMemoryBytes() / (1024 * 1024)} MiB");
}
finally
{
    try { work.Delete(recursive: true); } catch (IOException) { }
}

Console.WriteLine($"CodeChatter benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores{(quick ? " (quick)" : "")}{(renderOnly ? " (render only)" : "")}");
Console.WriteLine();
Console.WriteLine("| measure | value | note |");
Console.WriteLine("| --- | --- | --- |");
foreach (var (measure, value, note) in rows) Console.WriteLine($"| {measure} | {value} | {note} |");
return 0;

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
