using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CodeChatter.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server from the machine's own package, started for this test run in a temporary folder on
/// a free 127.0.0.1 port and stopped when the run ends. Each app under test gets a database of its own on it.
/// Durability is switched off (fsync, synchronous commit): the folder is thrown away afterwards.
/// </summary>
public sealed class TempPostgresServer : IDisposable
{
    private const string MissingMessage =
        "PostgreSQL is not installed, and the tests on PostgreSQL need it: run scripts/prerequisites.sh test (Debian package postgresql).";

    private static readonly Lazy<TempPostgresServer> SharedServer = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private readonly string _directory;
    private readonly Process _postmaster;
    private readonly ConcurrentDictionary<string, string> _databases = new();
    private int _created;

    private TempPostgresServer(string directory, Process postmaster, int port)
    {
        _directory = directory;
        _postmaster = postmaster;
        Port = port;
    }

    /// <summary>The server this test process shares, started on first use.</summary>
    public static TempPostgresServer Shared => SharedServer.Value;

    public int Port { get; }

    private string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>
    /// The connection string of the database that belongs to <paramref name="owner"/> (an app's data directory),
    /// created empty the first time it is asked for: an app restarted on the same directory finds its data again.
    /// </summary>
    public string DatabaseFor(string owner) => _databases.GetOrAdd(owner, _ =>
    {
        var name = $"codechatter_{Environment.ProcessId}_{Interlocked.Increment(ref _created)}";
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        // A small pool each: many apps share the server during a run.
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=20;Connection Idle Lifetime=10;Include Error Detail=true";
    });

    private static TempPostgresServer Start()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(MissingMessage);
        var directory = Directory.CreateTempSubdirectory("codechatter-postgres-").FullName;
        var data = Path.Combine(directory, "data");
        // PostgreSQL refuses to run as root: as root, the server runs as the package's postgres account.
        var asPostgres = Environment.UserName == "root" ? new[] { "/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--" } : [];
        if (asPostgres.Length > 0) Run("/bin/chown", "-R", "postgres:postgres", directory);
        Run([.. asPostgres, Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var port = FreePort();
        // setpriv execs the server, so the process started here is the postmaster itself.
        string[] command =
        [
            .. asPostgres, Path.Combine(bin, "postgres"),
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=500", "-c", "shared_buffers=64MB",
        ];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        var postmaster = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start");
        var log = new System.Text.StringBuilder();
        postmaster.OutputDataReceived += (_, line) => { lock (log) log.AppendLine(line.Data); };
        postmaster.ErrorDataReceived += (_, line) => { lock (log) log.AppendLine(line.Data); };
        postmaster.BeginOutputReadLine();
        postmaster.BeginErrorReadLine();
        var server = new TempPostgresServer(directory, postmaster, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(server.AdminConnectionString);
                connection.Open();
                return server;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !postmaster.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (NpgsqlException exception)
            {
                server.Dispose();
                lock (log) throw new InvalidOperationException($"PostgreSQL did not accept connections on port {port}: {exception.Message}\n{log}", exception);
            }
        }
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_postmaster.HasExited)
        {
            // SIGQUIT: PostgreSQL's immediate shutdown; every backend goes with the postmaster.
            Run("/bin/kill", "-QUIT", _postmaster.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_postmaster.WaitForExit(10_000)) _postmaster.Kill(entireProcessTree: true);
        }
        _postmaster.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A backend still closing its files: the temporary folder goes with the machine's next clean-up.
        }
    }
}
