using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace CodeChatter.Benchmarks;

/// <summary>
/// The cluster rows: fresh-mode <c>POST /api/runs</c> print(1) on the embedded default (one process, no Redis)
/// and through a web instance, a real redis-server and runner processes on this machine, in one run. On two cores
/// the cluster path cannot be faster; what it shows is what the Redis hop and the extra processes cost.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task RunAsync(
        string repositoryRoot, string work, int latencyRuns, TimeSpan window, Action<string, string, string> row)
    {
        string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "/s";

        Console.Error.WriteLine("Cluster: the embedded default first...");
        double embeddedMedian, embeddedRate;
        await using (var embedded = await AppUnderTest.StartAsync(repositoryRoot, Path.Combine(work, "embedded"), UidBase(0)))
        {
            using var api = await ClientAsync(embedded);
            var latency = await LatencySample.MeasureAsync(latencyRuns, () => PrintOneAsync(api), warmUp: 20);
            embeddedRate = await Throughput.MeasureAsync(8, window, () => PrintOneAsync(api));
            embeddedMedian = latency.Median;
            row("cluster rows: embedded `POST /api/runs` print(1), fresh, median", Ms(latency.Median), $"p90 {Ms(latency.P90)}; one process, no Redis");
            row("cluster rows: embedded throughput, 8 clients", Rate(embeddedRate), "");
        }

        Console.Error.WriteLine("Cluster: redis-server, one web instance, one runner...");
        using var redis = RedisServer.Start(Path.Combine(work, "redis"));
        var web = new Dictionary<string, string>(UidBase(1)) { ["Cluster:Redis"] = redis.Configuration, ["Cluster:Role"] = "web" };
        await using var webApp = await AppUnderTest.StartAsync(repositoryRoot, Path.Combine(work, "web"), web);
        await using var runner1 = await AppUnderTest.StartAsync(repositoryRoot, Path.Combine(work, "runner-1"), Runner(redis, 1, webApp));
        using var clusterApi = await ClientAsync(webApp);
        var clusterLatency = await LatencySample.MeasureAsync(latencyRuns, () => PrintOneAsync(clusterApi), warmUp: 20);
        var oneRunner = await Throughput.MeasureAsync(8, window, () => PrintOneAsync(clusterApi));
        row("cluster rows: 1 web + 1 runner `POST /api/runs` print(1), fresh, median", Ms(clusterLatency.Median), $"p90 {Ms(clusterLatency.P90)}");
        row("cluster rows: added to the median by the cluster path", Ms(clusterLatency.Median - embeddedMedian), "target < 3 ms");
        row("cluster rows: 1 web + 1 runner throughput, 8 clients", Rate(oneRunner), $"{(oneRunner / embeddedRate).ToString("0.00", CultureInfo.InvariantCulture)} of embedded");

        Console.Error.WriteLine("Cluster: a second runner...");
        await using var runner2 = await AppUnderTest.StartAsync(repositoryRoot, Path.Combine(work, "runner-2"), Runner(redis, 2, webApp));
        var twoRunners = await Throughput.MeasureAsync(8, window, () => PrintOneAsync(clusterApi));
        row("cluster rows: 1 web + 2 runners throughput, 8 clients", Rate(twoRunners),
            $"{(twoRunners / embeddedRate).ToString("0.00", CultureInfo.InvariantCulture)} of embedded; same 2 cores, so more runners only add processes");
    }

    // Every app on this machine hands its sandboxes uids of its own: an executor kills whatever runs under its uids.
    private static Dictionary<string, string> UidBase(int index) =>
        new() { ["Execution:SandboxUidBase"] = (2_000_000 + index * 1_000).ToString(CultureInfo.InvariantCulture) };

    // Runners store what they run: they share the web instance's database.
    private static Dictionary<string, string> Runner(RedisServer redis, int index, AppUnderTest web) =>
        new(UidBase(1 + index))
        {
            ["Cluster:Redis"] = redis.Configuration, ["Cluster:Role"] = "runner", ["Cluster:RunnerId"] = $"bench-runner-{index}",
            ["DataDirectory"] = web.DataDirectory,
        };

    private static async Task<HttpClient> ClientAsync(AppUnderTest app)
    {
        await app.RunVerbAsync("users", "create", "--email", "bench@example.com", "--password", "Bench-password-1");
        var token = (await app.RunVerbAsync("tokens", "create", "--email", "bench@example.com", "--name", "benchmark")).Split('\n')[^1].Trim();
        var api = new HttpClient { BaseAddress = app.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    private static async Task PrintOneAsync(HttpClient api)
    {
        using var response = await api.PostAsJsonAsync("/api/runs", new { language = "python", code = "print(1)", mode = "fresh" });
        var body = await response.Content.ReadAsStringAsync();
        using var run = JsonDocument.Parse(body);
        if (!response.IsSuccessStatusCode || run.RootElement.GetProperty("stdout").GetString() != "1\n")
        {
            throw new InvalidOperationException($"POST /api/runs: {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>A throwaway redis-server from the machine's package, on a free port.</summary>
    private sealed class RedisServer : IDisposable
    {
        private readonly Process _process;

        private RedisServer(Process process, int port)
        {
            _process = process;
            Configuration = $"127.0.0.1:{port}";
        }

        public string Configuration { get; }

        public static RedisServer Start(string directory)
        {
            if (!File.Exists("/usr/bin/redis-server")) throw new InvalidOperationException("redis-server is not installed: run scripts/prerequisites.sh bench");
            Directory.CreateDirectory(directory);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("/usr/bin/redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory, "--save", "", "--appendonly", "no" })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    return new RedisServer(process, port);
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            process.Kill();
            throw new InvalidOperationException("redis-server did not listen within 5 s");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
        }
    }
}
