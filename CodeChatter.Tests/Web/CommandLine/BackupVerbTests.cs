using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Tests.Web.Api;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace CodeChatter.Tests.Web.CommandLine;

/// <summary><c>backup --to FILE</c>, run as the real binary on the database of a server that is busy running snippets.</summary>
/// <remarks>The SQLite default's own backup: on PostgreSQL the server's tools back up (the verb says so).</remarks>
[Trait(Infrastructure.TestDatabase.Trait, Infrastructure.TestDatabase.SqliteOnly)]
public sealed class BackupVerbTests(ChatAppFactory factory, ITestOutputHelper output) : IClassFixture<ChatAppFactory>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codechatter-backups-").FullName;

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunVerbAsync(params string[] args)
    {
        _ = factory.Server; // the app has migrated its database
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DataDirectory"] = factory.DataDirectory;
        start.Environment["ConnectionStrings__Default"] = $"Data Source={factory.DatabasePath};Default Timeout=30";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_backup_taken_during_a_burst_of_runs_passes_its_check_holds_every_run_committed_before_it_and_restores()
    {
        using var first = await ApiClient.CreateAsync(factory);
        using var second = await ApiClient.CreateAsync(factory);
        var committed = new ConcurrentDictionary<long, string>();
        using var stop = new CancellationTokenSource();
        async Task BurstAsync(ApiClient api, int client)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var run = await api.RunOkAsync($"print('client {client} run {i}')");
                committed[run.GetProperty("id").GetInt64()] = run.GetProperty("stdout").GetString()!;
            }
        }
        // Two clients per person: each person's limit of runs at once, so none is refused.
        var bursts = new[] { BurstAsync(first, 1), BurstAsync(first, 2), BurstAsync(second, 3), BurstAsync(second, 4) };
        while (committed.Count < 20) await Task.Delay(20);

        var before = committed.ToArray();
        var backup = Path.Combine(_folder, "codechatter-backup.db");
        var stopwatch = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = await RunVerbAsync("backup", "--to", backup);
        var took = stopwatch.Elapsed;
        var during = committed.Count - before.Length;
        await stop.CancelAsync();
        await Task.WhenAll(bursts);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("integrity_check: ok", stdout);
        Assert.True(during > 0, "no run was committed while the backup verb ran");
        output.WriteLine($"{stdout.Trim()} The verb took {took.TotalSeconds:0.00} s (process start included); {during} run(s) were committed meanwhile.");
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
            await using var runs = copy.CreateCommand();
            runs.CommandText = "SELECT Id FROM Executions WHERE FinishedAt IS NOT NULL";
            var stored = new HashSet<long>();
            await using (var reader = await runs.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) stored.Add(reader.GetInt64(0));
            }
            foreach (var (id, _) in before) Assert.True(stored.Contains(id), $"run {id} was committed before the backup began but is not in it");
        }

        // Restore: the backup in place of the database of a new instance, which then serves the runs.
        var restoredDirectory = Directory.CreateTempSubdirectory("codechatter-restored-").FullName;
        try
        {
            File.Copy(backup, Path.Combine(restoredDirectory, "codechatter.db"));
            await using var restored = new ChatAppFactory(restoredDirectory);
            using var api = ApiClient.WithToken(restored, first.Token);
            var (someId, someStdout) = before.First(run => run.Value.Contains("client 1", StringComparison.Ordinal));
            using var response = await api.GetAsync($"/api/runs/{someId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var run = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(someStdout, run.GetProperty("stdout").GetString());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(restoredDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file_needs_its_destination_and_says_when_it_cannot_write_there()
    {
        var existing = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(existing, "precious");

        var overwrite = await RunVerbAsync("backup", "--to", existing);
        var missing = await RunVerbAsync("backup");
        var unwritable = await RunVerbAsync("backup", "--to", Path.Combine(existing, "inside-a-file", "backup.db"));

        Assert.Equal(2, overwrite.ExitCode);
        Assert.Contains("already exists", overwrite.Stderr);
        Assert.Equal("precious", await File.ReadAllTextAsync(existing));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--to", missing.Stderr);
        Assert.Equal(1, unwritable.ExitCode);
        Assert.StartsWith("backup: could not back", unwritable.Stderr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
