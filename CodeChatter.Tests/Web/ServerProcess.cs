using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodeChatter.Tests.Web;

/// <summary>
/// The app as its own process (<c>dotnet CodeChatter.Web.dll --urls ...</c>) on a data directory of the
/// test's, so a test can do what no in-memory host allows: kill it with SIGKILL and start it again.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly string WebDll = Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll");
    private static int _instances;

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Starts the server on <paramref name="dataDirectory"/> and waits until it answers.</summary>
    /// <param name="dataDirectory">Its data directory.</param>
    /// <param name="appDirectory">The folder of the app to start (a publish output); the test's own copy when null.</param>
    /// <param name="environment">The host environment.</param>
    /// <param name="settings">More environment variables (configuration) for it.</param>
    public static async Task<ServerProcess> StartAsync(
        string dataDirectory, string? appDirectory = null, string environment = "Development", IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: appsettings.json sits beside the test's copy of the app.
            WorkingDirectory = appDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var dll = appDirectory is null ? WebDll : Path.Combine(appDirectory, "CodeChatter.Web.dll");
        foreach (var argument in new[] { dll, "--urls", address.ToString().TrimEnd('/') }) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DataDirectory"] = dataDirectory;
        foreach (var (key, value) in Infrastructure.TestDatabase.EnvironmentFor(dataDirectory)) start.Environment[key] = value;
        // Like ChatAppFactory: never share sandbox uids with another server on this machine.
        var uidBase = 1_500_000 + (Environment.ProcessId % 100_000) * 1_000 + Interlocked.Increment(ref _instances) * 16;
        start.Environment["Execution__SandboxUidBase"] = uidBase.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RateLimits__SignInPermitLimit"] = "100000";
        start.Environment["RateLimits__ApiPermitLimit"] = "100000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>A browser without JavaScript on this server, keeping its cookies across restarts on the same host.</summary>
    public ChatClient NewClient(CookieContainer cookies) =>
        ChatClient.Remote(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true }) { BaseAddress = Address });

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException("the server exited during start-up:\n" + Log);
            try
            {
                using var response = await client.GetAsync("/");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not answer within 60 s:\n" + Log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
