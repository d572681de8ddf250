using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodeChatter.Tests.Cluster;

/// <summary>
/// A throwaway redis-server of a test's own: a free port on 127.0.0.1, an empty directory, no
/// persistence, killed and deleted afterwards. Missing redis-server fails the test with what to
/// install; it never skips.
/// </summary>
public sealed class TempRedisServer : IAsyncLifetime
{
    private const string ServerPath = "/usr/bin/redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public TempRedisServer()
    {
        if (!File.Exists(ServerPath))
            throw new InvalidOperationException("redis-server is not installed: run scripts/prerequisites.sh test (Debian package redis-server)");
        Port = FreePort();
        _directory = Directory.CreateTempSubdirectory("codechatter-redis-").FullName;
    }

    /// <summary>The port it listens on, the same across restarts.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string that reaches it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public Task InitializeAsync() => StartAsync();

    /// <summary>Kills the server outright (as a crash would) and starts a new, empty one on the same port.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo(ServerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", _directory,
                     "--save", "", "--appendonly", "no", "--daemonize", "no",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ServerPath} did not start");
        process.OutputDataReceived += (_, line) => Log(line.Data);
        process.ErrorDataReceived += (_, line) => Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitForPongAsync(process);
    }

    private async Task WaitForPongAsync(Process process)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}:\n{LogText()}");
            if (await AnswersPingAsync()) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s:\n{LogText()}");
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private string LogText()
    {
        lock (_log) return _log.ToString();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
