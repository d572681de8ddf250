using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Benchmarks;

/// <summary>Writes stored history straight into the app's database: far faster than running it all.</summary>
internal static class Seeder
{
    public static async Task<long> ConversationAsync(string databasePath, string email, int snippets)
    {
        await using var db = Open(databasePath);
        var owner = await db.Users.SingleAsync(u => u.Email == email);
        var start = DateTime.UtcNow.AddHours(-2);
        var conversation = new Conversation { OwnerId = owner.Id, Title = $"{snippets} snippets", CreatedAt = start, UpdatedAt = start };
        for (var i = 1; i <= snippets; i++)
        {
            conversation.Snippets.Add(Snippet(owner.Id, i, start.AddSeconds(i)));
        }
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync();
        return conversation.Id;
    }

    /// <summary>Empty conversations of that person in <paramref name="mode"/>, for runs to be appended to.</summary>
    public static async Task<List<long>> EmptyConversationsAsync(string databasePath, string email, int count, ConversationMode mode)
    {
        await using var db = Open(databasePath);
        var owner = await db.Users.SingleAsync(u => u.Email == email);
        var now = DateTime.UtcNow;
        var conversations = Enumerable.Range(0, count)
            .Select(i => new Conversation { OwnerId = owner.Id, Title = $"{mode.ToWire()} {i}", Mode = mode, CreatedAt = now, UpdatedAt = now })
            .ToList();
        db.Conversations.AddRange(conversations);
        await db.SaveChangesAsync();
        return conversations.Select(c => c.Id).ToList();
    }

    public static async Task RunsAsync(string databasePath, string email, int runs, int snippetsPerConversation)
    {
        var ownerId = await OwnerIdAsync(databasePath, email);
        var start = DateTime.UtcNow.AddDays(-60);
        var step = TimeSpan.FromDays(60) / runs;
        for (var done = 0; done < runs;)
        {
            // A fresh context per batch keeps the change tracker small.
            await using var db = Open(databasePath);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var batch = 0; batch < 50 && done < runs; batch++)
            {
                var at = start + step * done;
                var conversation = new Conversation { OwnerId = ownerId, Title = $"history {done}", CreatedAt = at, UpdatedAt = at };
                for (var i = 1; i <= snippetsPerConversation && done < runs; i++, done++)
                {
                    conversation.Snippets.Add(Snippet(ownerId, i, start + step * done));
                }
                db.Conversations.Add(conversation);
            }
            await db.SaveChangesAsync();
        }
    }

    private static Snippet Snippet(string ownerId, int sequence, DateTime at) => new()
    {
        Sequence = sequence,
        Kind = SnippetKind.Code,
        Language = "python",
        Code = $"for i in range({sequence % 7 + 1}):\n    print('line', i, {sequence})",
        CreatedAt = at,
        Executions =
        [
            new Execution
            {
                OwnerId = ownerId,
                Trigger = ExecutionTrigger.Submit,
                StartedAt = at,
                FinishedAt = at.AddMilliseconds(15),
                Status = sequence % 10 == 0 ? RunStatus.Failed : RunStatus.Succeeded,
                ExitCode = sequence % 10 == 0 ? 1 : 0,
                Stdout = string.Concat(Enumerable.Range(0, sequence % 7 + 1).Select(i => $"line {i} {sequence}\n")),
                Stderr = sequence % 10 == 0 ? "Traceback (most recent call last):\n  File \"/box/main.py\", line 2\nValueError: x\n" : "",
                WallTimeMs = 15,
                CpuTimeMs = 12,
                PeakMemoryBytes = 9_000_000,
                SandboxLevel = SandboxLevel.Bubblewrap,
                Detail = null,
            },
        ],
    };

    private static async Task<string> OwnerIdAsync(string databasePath, string email)
    {
        await using var db = Open(databasePath);
        return (await db.Users.SingleAsync(u => u.Email == email)).Id;
    }

    private static ChatDbContext Open(string databasePath) =>
        new(new DbContextOptionsBuilder<ChatDbContext>().UseSqlite($"Data Source={databasePath};Default Timeout=30").Options);
}
