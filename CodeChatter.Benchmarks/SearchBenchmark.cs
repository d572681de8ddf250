using System.Diagnostics;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Benchmarks;

/// <summary>
/// What search costs: the typical queries a person types, timed through the search page, and what the index's
/// triggers add to storing one run (measured on a copy of the app's database, with and without them).
/// </summary>
internal static class SearchBenchmark
{
    /// <summary>The queries timed, as a person would type them, against the seeded history.</summary>
    public static readonly IReadOnlyList<(string Name, string Query)> Queries =
    [
        ("word in every run (print)", "q=print"),
        ("word in 1 run of 10 (ValueError)", "q=ValueError"),
        ("phrase (\"line 3\")", "q=%22line+3%22"),
        ("prefix (Trace*)", "q=Trace*"),
        ("word + exclusion (range -ValueError)", "q=range+-ValueError"),
        ("word + status filter (line, failed)", "q=line&status=failed"),
        ("word, by rank (ValueError)", "q=ValueError&order=rank"),
        ("word in every run, by rank (print)", "q=print&order=rank"),
    ];

    private static readonly string[] Triggers =
    [
        "SearchText_RunInserted", "SearchText_RunUpdated", "SearchText_RunDeleted", "SearchText_NoteInserted",
        "SearchText_SnippetUpdated", "SearchText_NoteDeleted", "SearchText_ConversationRenamed",
    ];

    /// <summary>
    /// Milliseconds to store one run the way the app does (the message and its running row, then its result),
    /// with the search triggers and without, alternating rounds so that the machine's noise falls on both.
    /// </summary>
    public static async Task<(double With, double Without)> TriggerCostPerRunAsync(string appDatabasePath, string email, int runsPerRound, int rounds)
    {
        var copy = Path.Combine(Path.GetDirectoryName(appDatabasePath)!, "trigger-cost.db");
        await using (var source = new SqliteConnection($"Data Source={appDatabasePath};Default Timeout=30"))
        {
            await source.OpenAsync();
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{copy.Replace("'", "''", StringComparison.Ordinal)}'";
            await vacuum.ExecuteNonQueryAsync();
        }
        var withCopy = copy + ".with.db";
        File.Copy(copy, withCopy);
        await using (var db = Open(copy))
        {
            var dropTriggers = string.Concat(Triggers.Select(trigger => $"DROP TRIGGER IF EXISTS \"{trigger}\";"));
            await db.Database.ExecuteSqlRawAsync(dropTriggers);
        }
        double with = 0, without = 0;
        for (var round = 0; round < rounds; round++)
        {
            with += await StoreRunsAsync(withCopy, email, runsPerRound);
            without += await StoreRunsAsync(copy, email, runsPerRound);
        }
        SqliteConnection.ClearAllPools();
        File.Delete(copy);
        File.Delete(withCopy);
        return (with / (runsPerRound * rounds), without / (runsPerRound * rounds));
    }

    private static async Task<double> StoreRunsAsync(string databasePath, string email, int runs)
    {
        await using var db = Open(databasePath);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        var userId = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        var store = new EfRunStore(db, TimeProvider.System);
        long? conversationId = null;
        var stdout = string.Concat(Enumerable.Range(0, 8).Select(i => $"line {i} of the output, value {i * 7}\n"));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var stored = await store.AddMessageAsync(new NewMessage(
                userId, conversationId, SnippetKind.Code, "python", $"for i in range(8):\n    print('line', i, {i})", "", ExecutionTrigger.Submit));
            conversationId = i % 50 == 49 ? null : stored!.ConversationId;
            var at = DateTimeOffset.UtcNow;
            await store.CompleteAsync(stored!.ExecutionId!.Value, new ExecutionResult
            {
                Status = RunStatus.Succeeded, ExitCode = 0, Stdout = stdout, StartedAt = at, FinishedAt = at, WallTimeMs = 15,
            });
            db.ChangeTracker.Clear();
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static ChatDbContext Open(string databasePath) =>
        new(new DbContextOptionsBuilder<ChatDbContext>().UseSqlite($"Data Source={databasePath};Default Timeout=30").Options);
}
