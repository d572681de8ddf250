using CodeChatter.Tests.Web;

namespace CodeChatter.Tests.Cluster;

/// <summary>
/// A small cluster on this machine: a real redis-server, one web instance (role <c>web</c>: pages and the API,
/// runs go to Redis) and two runner processes (role <c>runner</c>) of the real binary. Each runner hands its
/// sandboxes uids from a range of its own, so a snippet printing its uid says which runner ran it.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TempRedisServer Redis { get; } = new();

    public ClusterWebFactory Web { get; private set; } = null!;

    /// <summary>A second web instance on the same database and sign-in keys, as behind a load balancer.</summary>
    public ClusterWebFactory OtherWeb { get; private set; } = null!;

    public ServerProcess[] Runners { get; } = new ServerProcess[2];

    /// <summary>The first sandbox uid of each runner; a runner's runs use the few uids above it.</summary>
    public int[] RunnerUidBases { get; } = new int[2];

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        Web = new ClusterWebFactory(Redis.Configuration);
        _ = Web.ServerAddress;
        OtherWeb = new ClusterWebFactory(Redis.Configuration, Web.DataDirectory);
        _ = OtherWeb.ServerAddress;
        // Fixtures of different classes run side by side: each takes ranges of its own (up to ten fixtures a run).
        var fixture = Interlocked.Increment(ref _fixtures) % 10;
        for (var i = 0; i < Runners.Length; i++)
        {
            RunnerUidBases[i] = 3_000_000 + (Environment.ProcessId % 1000) * 2_000 + (fixture * Runners.Length + i) * 100;
            Runners[i] = await StartRunnerAsync(i);
        }
    }

    private static int _fixtures;

    /// <summary>Which runner a uid printed by a snippet belongs to, or -1 for neither.</summary>
    public int RunnerOf(int uid) => Array.FindIndex(RunnerUidBases, start => uid >= start && uid < start + 64);

    /// <summary>Starts runner <paramref name="index"/> (again, after a kill) on the web instances' database: runners store what they run.</summary>
    public async Task<ServerProcess> StartRunnerAsync(int index)
    {
        return await ServerProcess.StartAsync(Web.DataDirectory, settings: new Dictionary<string, string>
        {
            ["Cluster__Redis"] = Redis.Configuration,
            ["Cluster__Role"] = "runner",
            ["Cluster__RunnerId"] = $"runner-{index + 1}-{Guid.NewGuid():N}",
            ["Execution__SandboxUidBase"] = RunnerUidBases[index].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Execution__MaxConcurrentRuns"] = "2",
            ["Execution__PrestartedSandboxesPerLanguage"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var runner in Runners) runner?.Dispose();
        await OtherWeb.DisposeAsync();
        await Web.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>
/// A web instance of a cluster on real Kestrel: its stored runs go to Redis; it runs no fresh box of its own.
/// Given the data directory of another, it shares that one's database and sign-in keys.
/// </summary>
public sealed class ClusterWebFactory : ChatAppFactory
{
    public ClusterWebFactory(string redis, string? sharedDataDirectory = null)
        : base(sharedDataDirectory)
    {
        Settings = new Dictionary<string, string> { ["Cluster:Redis"] = redis, ["Cluster:Role"] = "web" };
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
    }

    protected override IReadOnlyDictionary<string, string> Settings { get; }
}
