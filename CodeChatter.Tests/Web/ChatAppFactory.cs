using CodeChatter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web;

/// <summary>
/// The whole app, hosted in memory, on a real SQLite file of its own (one per test class, migrated at
/// start-up like production) and the real sandboxed executor. The browser tests serve it on real Kestrel.
/// </summary>
public class ChatAppFactory : WebApplicationFactory<Program>
{
    private static int _instances;

    private readonly string _directory;
    private readonly bool _ownsDirectory;

    public ChatAppFactory()
        : this(null)
    {
    }

    /// <summary>An app on the data directory of an earlier one: a restart. Only the first one deletes it.</summary>
    internal ChatAppFactory(string? directory)
    {
        _ownsDirectory = directory is null;
        _directory = directory ?? Directory.CreateTempSubdirectory("codechatter-tests-").FullName;
    }

    public string DataDirectory => _directory;

    /// <summary>The SQLite file, for tests of what only the SQLite default does (its backups, its disk use).</summary>
    public string DatabasePath => Path.Combine(_directory, "codechatter.db");

    /// <summary>The database settings as environment variables, for a command-line verb run as a child process.</summary>
    public IReadOnlyDictionary<string, string> DatabaseEnvironment => TestDatabase.EnvironmentFor(_directory);

    /// <summary>Where clients send requests: the in-memory server, or the port real Kestrel listens on once started.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
                ? new Uri(address)
                : ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("DataDirectory", _directory);
        // The executor SIGKILLs everything owned by a slot's uid after each run, so two executors on one
        // machine (parallel test classes, another test run) must never share uids.
        var uidBase = 1_000_000 + (Environment.ProcessId % 100_000) * 1_000 + Interlocked.Increment(ref _instances) * 16;
        builder.UseSetting("Execution:SandboxUidBase", uidBase.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The SQLite file in the data directory, or this directory's own database on the run's PostgreSQL server.
        foreach (var (key, value) in TestDatabase.SettingsFor(_directory))
        {
            builder.UseSetting(key, value);
        }
        // Every test class signs in and calls the API from one address; tests of the limits lower them.
        builder.UseSetting("RateLimits:SignInPermitLimit", "100000");
        builder.UseSetting("RateLimits:ApiPermitLimit", "100000");
        builder.UseSetting("RateLimits:FailedAuthPermitLimit", "100000");
        // New conversations keep a session each: a test class makes more than the machine's default cap.
        builder.UseSetting("Execution:MaxSessions", "200");
        // Many apps run side by side in a test run: two waiting boxes per language each keep it light.
        builder.UseSetting("Execution:PrestartedSandboxesPerLanguage", "2");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The host environment: Development unless a test needs what only Production does (the error handler).</summary>
    protected virtual string EnvironmentName => "Development";

    /// <summary>Configuration a derived factory changes (a tight quota, a low rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!_ownsDirectory) return;
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
