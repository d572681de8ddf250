using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Benchmarks;

/// <summary>
/// The real app, built in Release into a temporary folder and started as its own process on a
/// temporary SQLite database, with request and quota limits raised so the benchmark measures runs,
/// not refusals.
/// </summary>
internal sealed class AppUnderTest : IAsyncDisposable
{
    private readonly Process _server;

    private AppUnderTest(string appDirectory, string dataDirectory, Process server, Uri address)
    {
        AppDirectory = appDirectory;
        DataDirectory = dataDirectory;
        _server = server;
        Address = address;
    }

    public string AppDirectory { get; }
    public string DataDirectory { get; }
    public Uri Address { get; }
    public int ProcessId => _server.Id;
    public string DatabasePath => Path.Combine(DataDirectory, "codechatter.db");

    /// <param name="repositoryRoot">Where CodeChatter.Web is built from.</param>
    /// <param name="workDirectory">Where the build and the database go.</param>
    /// <param name="settings">Configuration to set on top of the benchmark's (<c>Execution:MaxConcurrentRuns</c> to value), from <c>--app-setting</c>.</param>
    public static async Task<AppUnderTest> StartAsync(string repositoryRoot, string workDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var appDirectory = Path.Combine(workDirectory, "app");
        var dataDirectory = Path.Combine(workDirectory, "data");
        Directory.CreateDirectory(dataDirectory);
        var build = await Cli.Wrap("dotnet")
            .WithArguments(["build", Path.Combine(repositoryRoot, "CodeChatter.Web"), "-c", "Release", "-o", appDirectory, "-nologo", "-v", "quiet"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException("building the app failed:\n" + build.StandardOutput + build.StandardError);

        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(appDirectory, "CodeChatter.Web.dll"), "--urls", address.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in Environment(dataDirectory)) start.Environment[name] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var server = Process.Start(start) ?? throw new InvalidOperationException("the app did not start");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, line) => { if (line.Data is not null) Console.Error.WriteLine("  app: " + line.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var app = new AppUnderTest(appDirectory, dataDirectory, server, address);
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>Runs one of the app's command-line verbs against the same database; returns its stdout.</summary>
    public async Task<string> RunVerbAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppDirectory, "CodeChatter.Web.dll"), .. arguments])
            .WithWorkingDirectory(AppDirectory)
            .WithEnvironmentVariables(Environment(DataDirectory))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    /// <summary>The server's peak resident memory so far (VmHWM).</summary>
    public long PeakMemoryBytes()
    {
        var line = File.ReadLines($"/proc/{_server.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static Dictionary<string, string?> Environment(string dataDirectory) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DataDirectory"] = dataDirectory,
        ["Logging__LogLevel__Default"] = "Warning",
        ["RateLimits__ApiPermitLimit"] = "10000000",
        ["RateLimits__ApiWindowSeconds"] = "1",
        ["RateLimits__SignInPermitLimit"] = "1000",
        ["Quotas__DefaultDailyRuns"] = "10000000",
        // One token drives up to 16 concurrent clients here; the default allows 2 runs per person.
        ["Execution__MaxConcurrentRunsPerUser"] = "64",
        ["Execution__QueueCapacity"] = "1000",
        // The session rows keep 9 Python sessions of one person live at once (one for latency, 8 for
        // throughput); the defaults allow 3 per person and 4 per core on the machine.
        ["Execution__MaxSessionsPerUser"] = "16",
        ["Execution__MaxSessions"] = "64",
    };

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_server.HasExited) throw new InvalidOperationException("the app exited during start-up");
            try
            {
                var response = await client.GetAsync("/");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the app did not answer within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server.Dispose();
    }
}
