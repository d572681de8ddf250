using System.Diagnostics;

namespace CodeChatter.Tests.Web.Operations;

/// <summary>
/// The app as an operator deploys it: <c>dotnet publish</c> into a folder of its own (once per test class; from
/// the build the tests already made, so only the publish steps run), started from there in Production on
/// 127.0.0.1, with 127.0.0.1 as its one trusted reverse proxy so a test can speak as an outside client through
/// <c>X-Forwarded-For</c>.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    public string AppDirectory { get; } = Directory.CreateTempSubdirectory("codechatter-publish-").FullName;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("codechatter-published-data-").FullName;

    public ServerProcess Server { get; private set; } = null!;

    public TimeSpan PublishTime { get; private set; }

    /// <summary>The repository's root (the folder of CodeChatter.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CodeChatter.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("CodeChatter.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        // bin/<Configuration>/net10.0/: publish the configuration the tests were built in, without building again.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = await RunAsync("dotnet", "publish", Path.Combine(RepositoryRoot, "CodeChatter.Web"),
            "--no-build", "-c", configuration, "-o", AppDirectory, "-nologo");
        PublishTime = stopwatch.Elapsed;
        if (exitCode != 0) throw new InvalidOperationException("dotnet publish failed:\n" + stdout + stderr);
        Server = await ServerProcess.StartAsync(DataDirectory, AppDirectory, "Production", new Dictionary<string, string>
        {
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });
    }

    /// <summary>Runs one of the published app's verbs on its data directory.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunVerbAsync(params string[] arguments) =>
        RunAsync("dotnet", [Path.Combine(AppDirectory, "CodeChatter.Web.dll"), .. arguments], AppDirectory,
            new Dictionary<string, string>(Infrastructure.TestDatabase.EnvironmentFor(DataDirectory)) { ["DataDirectory"] = DataDirectory });

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, string[] arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, null, null);

    public Task DisposeAsync()
    {
        Server?.Dispose();
        foreach (var directory in new[] { AppDirectory, DataDirectory })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A sandbox folder still being cleaned up; the temp folder is swept later.
            }
        }
        return Task.CompletedTask;
    }
}
