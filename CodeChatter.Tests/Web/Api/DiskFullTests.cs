using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using CodeChatter.Core.Execution;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Api;

/// <summary>
/// The database's disk fills up while a run is in flight: the snippet has run, its result cannot be stored.
/// A real SQLite file on a small tmpfs that the test fills, so it needs root (to mount it).
/// </summary>
[Trait(Infrastructure.TestDatabase.Trait, Infrastructure.TestDatabase.SqliteOnly)]
public class DiskFullTests
{
    [Fact]
    public async Task A_run_whose_result_cannot_be_stored_is_answered_as_executed_and_recorded_once_space_returns()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail("This test needs root: it mounts a small tmpfs for the database and fills it. Run the tests as root (./test.sh does).");
        }
        var directory = Directory.CreateTempSubdirectory("codechatter-disk-full-").FullName;
        await CommandAsync("mount", "-t", "tmpfs", "-o", "size=64m", "codechatter-disk-full", directory);
        try
        {
            await using var factory = new ChatAppFactory(directory);
            using var api = await ApiClient.CreateAsync(factory);
            await api.RunOkAsync("print('the disk still has room')");
            var userId = (await api.Person.GetUserAsync()).Id;

            var answer = api.RunAsync(new { language = "python", code = "import time\nprint('ran', flush=True)\ntime.sleep(3)\nprint('x' * 60000)" });
            var executionId = await WaitForAsync(() => api.Person.WithDbAsync(db => db.Executions
                .Where(e => e.OwnerId == userId && e.FinishedAt == null).Select(e => (long?)e.Id).FirstOrDefaultAsync()));
            var filler = FillTheDisk(directory, factory.DatabasePath);
            using var response = await answer;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var run = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("internal_error", run.GetProperty("status").GetString());
            Assert.Contains("the run executed", run.GetProperty("detail").GetString());
            Assert.StartsWith("ran\n", run.GetProperty("stdout").GetString());
            Assert.Equal(executionId, run.GetProperty("id").GetInt64());

            File.Delete(filler);
            var stored = await WaitForAsync(() => api.Person.WithDbAsync(db => db.Executions.AsNoTracking()
                .SingleOrDefaultAsync(e => e.Id == executionId && e.FinishedAt != null)), TimeSpan.FromSeconds(30));
            Assert.Equal(RunStatus.InternalError, stored.Status);
            Assert.Equal(run.GetProperty("detail").GetString(), stored.Detail);
            Assert.StartsWith("ran\n", stored.Stdout);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await CommandAsync("umount", "--lazy", directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Empties SQLite's write-ahead log into the database (so the next write has to grow it), then takes
    /// every free byte of the tmpfs with one file.
    /// </summary>
    private static string FillTheDisk(string directory, string databasePath)
    {
        using (var connection = new SqliteConnection($"Data Source={databasePath}"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        var filler = Path.Combine(directory, "filler");
        using var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var size in new[] { 1 << 20, 4096 })
        {
            var block = new byte[size];
            try
            {
                while (true) stream.Write(block);
            }
            catch (IOException)
            {
                // Full at this block size; the next, smaller one takes what is left.
            }
        }
        return filler;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("what the test waited for did not happen");
            await Task.Delay(50);
        }
    }

    private static async Task CommandAsync(params string[] arguments)
    {
        var result = await Cli.Wrap(arguments[0]).WithArguments(arguments[1..]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', arguments)}: {result.StandardError}");
    }
}
