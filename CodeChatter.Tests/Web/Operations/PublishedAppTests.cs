using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace CodeChatter.Tests.Web.Operations;

/// <summary>The app deployed as the README's Deploy section says: published, started in Production.</summary>
public class PublishedAppTests(PublishedApp app, ITestOutputHelper output) : IClassFixture<PublishedApp>
{
    private const string OutsideClient = "203.0.113.7";

    private HttpClient Client(string? forwardedFor = null)
    {
        var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false })
        {
            BaseAddress = app.Server.Address,
        };
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    [Fact]
    public async Task The_published_app_serves_its_stylesheets_and_scripts_whole_to_a_browser_that_accepts_compression()
    {
        output.WriteLine($"dotnet publish took {app.PublishTime.TotalSeconds:0.0} s");
        var email = $"deploy-{Guid.NewGuid():N}@example.com";
        Assert.Equal(0, (await app.RunVerbAsync("users", "create", "--email", email, "--password", ChatClient.Password)).ExitCode);
        var person = app.Server.NewClient(new CookieContainer());
        await person.PostFormAsync("/Identity/Account/Login", "form#account", new() { ["Input.Email"] = email, ["Input.Password"] = ChatClient.Password });
        var page = await person.GetAsync("/Conversations/New");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var urls = page.All("link[rel=stylesheet]").Select(link => link.GetAttribute("href")!)
            .Concat(page.All("script[src]").Select(script => script.GetAttribute("src")!))
            .ToList();
        // The layout's stylesheet and the chat's editor are what a build output served empty.
        Assert.Contains(urls, url => url.StartsWith("/css/site.", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("/lib/codemirror/editor.", StringComparison.Ordinal));
        Assert.Contains(urls, url => url.StartsWith("/js/chat.", StringComparison.Ordinal));

        using var browser = Client();
        foreach (var url in urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.ParseAdd("gzip, br");
            using var response = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var encoding = Assert.Single(response.Content.Headers.ContentEncoding);
            var body = Decompress(await response.Content.ReadAsByteArrayAsync(), encoding);
            Assert.NotEmpty(body);
            var identity = await browser.GetByteArrayAsync(url);
            Assert.Equal(identity, body);
            Assert.Equal(url.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
            output.WriteLine($"{url}: {encoding}, {response.Content.Headers.ContentLength} bytes compressed, {body.Length} bytes");
        }

        // Byte for byte what the repository holds.
        byte[] Source(string path) => File.ReadAllBytes(Path.Combine(PublishedApp.RepositoryRoot, "CodeChatter.Web", "wwwroot", path));
        Assert.Equal(Source("css/site.css"), await browser.GetByteArrayAsync(urls.First(url => url.StartsWith("/css/site.", StringComparison.Ordinal))));
        Assert.Equal(Source("lib/codemirror/editor.js"), await browser.GetByteArrayAsync(urls.First(url => url.StartsWith("/lib/codemirror/editor.", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_build_output_started_in_Production_serves_its_stylesheet_and_editor_whole()
    {
        // The tests' own copy of the app is a `dotnet build` output, as bin/Release is.
        var data = Directory.CreateTempSubdirectory("codechatter-build-output-").FullName;
        try
        {
            using var server = await ServerProcess.StartAsync(data, environment: "Production");
            using var browser = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.Address };
            foreach (var path in new[] { "css/site.css", "lib/codemirror/editor.js" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/" + path);
                request.Headers.AcceptEncoding.ParseAdd("gzip, br");
                using var response = await browser.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = Decompress(await response.Content.ReadAsByteArrayAsync(), Assert.Single(response.Content.Headers.ContentEncoding));
                Assert.Equal(File.ReadAllBytes(Path.Combine(PublishedApp.RepositoryRoot, "CodeChatter.Web", "wwwroot", path)), body);
            }
            Assert.Contains("This is a build output, not a publish output", server.Log);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task An_app_folder_without_its_static_files_refuses_to_start_in_Production_and_says_to_publish()
    {
        // The published app without wwwroot, as when only the dlls were copied to a server.
        var copy = Directory.CreateTempSubdirectory("codechatter-no-wwwroot-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(app.AppDirectory)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            var (exitCode, stdout, stderr) = await PublishedApp.RunAsync("dotnet",
                [Path.Combine(copy, "CodeChatter.Web.dll"), "--urls", "http://127.0.0.1:0"], copy,
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DataDirectory"] = Path.Combine(copy, "data") });

            Assert.NotEqual(0, exitCode);
            Assert.Contains("dotnet publish", stderr);
            Assert.Contains("empty files", stderr);
            Assert.DoesNotContain("Now listening", stdout);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Health_endpoints_answer_anyone_and_give_details_only_to_this_machine()
    {
        using var local = Client();
        using var outside = Client(OutsideClient);

        using var alive = await outside.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());

        // A new server is ready once its sandbox pools have filled.
        HttpResponseMessage ready;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((ready = await local.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            ready.Dispose();
            await Task.Delay(200);
        }
        using (ready)
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var details = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Healthy", details.GetProperty("status").GetString());
            var checks = details.GetProperty("checks");
            Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
            Assert.StartsWith("bubblewrap", checks.GetProperty("sandbox").GetProperty("description").GetString());
            // The published app runs with the shipped settings: 4 boxes per language.
            Assert.Contains("python 4/4", checks.GetProperty("prestarted_sandboxes").GetProperty("description").GetString());
        }

        using var readyOutside = await outside.GetAsync("/readyz");
        var text = await readyOutside.Content.ReadAsStringAsync();
        Assert.Contains(text, new[] { "Healthy", "Degraded" });
        Assert.Equal("text/plain", readyOutside.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_are_served_in_Prometheus_format_to_this_machine_only_with_the_runs_counted()
    {
        var email = $"metrics-{Guid.NewGuid():N}@example.com";
        Assert.Equal(0, (await app.RunVerbAsync("users", "create", "--email", email, "--password", ChatClient.Password)).ExitCode);
        var token = (await app.RunVerbAsync("tokens", "create", "--email", email, "--name", "metrics")).Stdout.Trim();
        using var api = Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var run = await api.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)" }))
        {
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }
        using (var failed = await api.PostAsJsonAsync("/api/runs", new { language = "bash", code = "exit 3" }))
        {
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var outside = Client(OutsideClient);
        using var refused = await outside.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain("codechatter_", await refused.Content.ReadAsStringAsync());

        using var local = Client();
        var metrics = await local.GetStringAsync("/metrics");
        var lines = metrics.Split('\n');
        double Value(string name, params string[] labels) => lines
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(line.Contains))
            .Select(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Sum();
        Assert.True(Value("codechatter_runs_total", "status=\"succeeded\"", "language=\"python\"") >= 1, metrics);
        Assert.True(Value("codechatter_runs_total", "status=\"failed\"", "language=\"bash\"") >= 1, metrics);
        Assert.True(Value("codechatter_run_duration_seconds_count", "language=\"python\"") >= 1, metrics);
        Assert.True(Value("codechatter_run_queue_wait_seconds_count") >= 2, metrics);
        Assert.Contains("codechatter_run_queue_depth{", metrics);
        Assert.Contains("codechatter_sandbox_prestarted{", metrics);
        Assert.Contains("codechatter_sessions_live{", metrics);
        Assert.True(Value("http_server_request_duration_seconds_count", "http_route=\"/api/runs\"") >= 2, metrics);
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new InvalidOperationException("unexpected Content-Encoding " + encoding),
        };
        using var decoded = new MemoryStream();
        decoder.CopyTo(decoded);
        return decoded.ToArray();
    }
}
