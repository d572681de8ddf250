using System.Security.Cryptography;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Data;
using CodeChatter.Data.Admin;
using CodeChatter.Data.Entities;
using CodeChatter.Data.Reading;
using CodeChatter.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Data.Chat;

public class RichOutputDataTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Plot = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static readonly byte[] Table = "<table><tr><td>1</td></tr></table>"u8.ToArray();

    private static readonly byte[] Value = "array([1, 2, 3])"u8.ToArray();

    [Fact]
    public async Task A_runs_items_are_stored_in_order_with_their_hashes_in_a_table_of_their_own()
    {
        var userId = await PersonAsync("stored");
        var (_, executionId) = await CompletedRunAsync(userId, Outputs());

        await using var db = database.Open();
        var rows = await db.ExecutionOutputs.Where(o => o.ExecutionId == executionId).OrderBy(o => o.Id).ToListAsync();
        Assert.Equal(
            [
                (1, RichMediaTypes.Png, Hex(Plot), (long)Plot.Length, 6),
                (2, RichMediaTypes.Html, Hex(Table), (long)Table.Length, 6),
                (3, RichMediaTypes.PlainText, Hex(Value), (long)Value.Length, 12),
            ],
            rows.Select(o => (o.Sequence, o.MediaType, o.Sha256, o.Size, o.StdoutPosition)));
        Assert.Equal(Plot, rows[0].Content);
        var execution = await db.Executions.SingleAsync(e => e.Id == executionId);
        Assert.Equal("2 more figures were left out.", execution.OutputsOmitted);
    }

    [Fact]
    public async Task The_run_view_carries_the_items_with_text_but_never_image_bytes_and_only_the_owner_reads_an_image()
    {
        var userId = await PersonAsync("view");
        var strangerId = await PersonAsync("view-stranger");
        var (conversationId, executionId) = await CompletedRunAsync(userId, Outputs());
        await using var db = database.Open();
        var runs = new EfRunQueries(db, ShownOutput());

        var run = (await runs.FindAsync(userId, executionId))!;
        var conversation = (await new EfConversationQueries(db, ShownOutput()).FindOwnedAsync(userId, conversationId))!;

        Assert.Equal(
            [(RichMediaTypes.Png, (string?)null, 6), (RichMediaTypes.Html, "<table><tr><td>1</td></tr></table>", 6), (RichMediaTypes.PlainText, "array([1, 2, 3])", 12)],
            run.Outputs.Select(o => (o.MediaType, o.Content, o.StdoutPosition)));
        Assert.Equal("2 more figures were left out.", run.OutputsOmitted);
        Assert.Equal(run.Outputs, conversation.Messages[0].Latest!.Run.Outputs);
        var image = (await runs.FindOutputAsync(userId, run.Outputs[0].Id))!;
        Assert.Equal((conversationId, executionId, RichMediaTypes.Png), (image.ConversationId, image.ExecutionId, image.MediaType));
        Assert.Equal(Plot, image.Content);
        Assert.Null(await runs.FindOutputAsync(strangerId, run.Outputs[0].Id));
    }

    [Fact]
    public async Task A_rerun_starts_knowing_the_previous_runs_items_by_type_and_hash()
    {
        var userId = await PersonAsync("rerun");
        var (conversationId, _) = await CompletedRunAsync(userId, Outputs());
        await using var db = database.Open();
        var snippetId = await db.Snippets.Where(s => s.ConversationId == conversationId).Select(s => s.Id).SingleAsync();

        var started = await new EfRunStore(db, new FixedClock(Now)).StartRerunAsync(userId, snippetId, ExecutionTrigger.Rerun);

        Assert.Equal(
            [new OutputFingerprint(RichMediaTypes.Png, Hex(Plot)), new OutputFingerprint(RichMediaTypes.Html, Hex(Table)), new OutputFingerprint(RichMediaTypes.PlainText, Hex(Value))],
            started!.Previous!.Outputs);
        Assert.False(RunOutput.From(Result(Outputs())).HasChangedSince(started.Previous));
    }

    [Fact]
    public async Task Storing_a_result_again_replaces_its_items_rather_than_adding()
    {
        var userId = await PersonAsync("again");
        var (_, executionId) = await CompletedRunAsync(userId, Outputs());
        await using (var again = database.Open())
        {
            await new EfRunStore(again, new FixedClock(Now)).CompleteAsync(executionId, Result([new RichOutput(RichMediaTypes.PlainText, Value, 0)]));
        }

        await using var db = database.Open();
        Assert.Equal([RichMediaTypes.PlainText], await db.ExecutionOutputs.Where(o => o.ExecutionId == executionId).Select(o => o.MediaType).ToListAsync());
    }

    [Fact]
    public async Task Deleting_a_conversation_deletes_its_runs_items()
    {
        var userId = await PersonAsync("delete");
        var (conversationId, executionId) = await CompletedRunAsync(userId, Outputs());
        var (_, keptId) = await CompletedRunAsync(userId, Outputs());
        await using var db = database.Open();

        Assert.True(await new EfConversationStore(db).DeleteAsync(userId, conversationId));

        Assert.Equal(0, await db.ExecutionOutputs.CountAsync(o => o.ExecutionId == executionId));
        Assert.Equal(3, await db.ExecutionOutputs.CountAsync(o => o.ExecutionId == keptId));
    }

    [Fact]
    public async Task The_admins_people_list_sums_each_persons_stored_output_bytes()
    {
        var userId = await PersonAsync("bytes");
        await CompletedRunAsync(userId, Outputs());
        await CompletedRunAsync(userId, [new RichOutput(RichMediaTypes.Png, Plot, 0)]);
        await using var db = database.Open();

        var people = await new EfPeopleQueries(db).ListAsync("bytes@", 0, 10);

        Assert.Equal(2L * Plot.Length + Table.Length + Value.Length, people.Single().StoredOutputBytes);
    }

    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    public async Task Runs_stored_before_rich_output_read_with_no_items_after_the_migration()
    {
        var directory = Directory.CreateTempSubdirectory("codechatter-data-tests-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<ChatDbContext>()
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "old.db") }.ToString(),
                    sqlite => sqlite.MigrationsAssembly(DataServiceCollectionExtensions.SqliteMigrationsAssembly))
                .Options;
            await using (var old = new ChatDbContext(options))
            {
                await old.GetService<IMigrator>().MigrateAsync("20261202105242_Sessions");
                await old.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "CreatedAt", "IsDisabled", "DailyRunQuota")
                    VALUES ('old-user', 'old@example.com', 'old@example.com', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', 0, NULL);
                    INSERT INTO "Conversations" ("Id", "OwnerId", "Title", "DefaultLanguage", "CreatedAt", "UpdatedAt", "Mode", "LastSessionGeneration")
                    VALUES (7, 'old-user', 'from before', 'python', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'fresh', 0);
                    INSERT INTO "Snippets" ("Id", "ConversationId", "Sequence", "Kind", "Language", "Code", "Stdin", "CreatedAt")
                    VALUES (70, 7, 1, 'Code', 'python', 'print(1)', '', '2026-01-01 00:00:00');
                    INSERT INTO "Executions" ("Id", "SnippetId", "OwnerId", "Trigger", "StartedAt", "FinishedAt", "Status", "Stdout", "Stderr", "StdoutTruncated", "StderrTruncated", "WallTimeMs", "SandboxLevel", "TypedInput")
                    VALUES (700, 70, 'old-user', 'Submit', '2026-01-01 00:00:00', '2026-01-01 00:00:01', 'succeeded', X'310A', X'', 0, 0, 10, 'bubblewrap', X'');
                    """);
            }
            await using (var migrated = new ChatDbContext(options))
            {
                await migrated.Database.MigrateAsync();
                Assert.Empty(await migrated.Database.GetPendingMigrationsAsync());
            }
            await using var db = new ChatDbContext(options);

            var run = (await new EfRunQueries(db, ShownOutput()).FindAsync("old-user", 700))!;

            Assert.Equal(("1\n", 0, (string?)null), (run.Stdout, run.Outputs.Count, run.OutputsOmitted));
            await new EfRunStore(db, new FixedClock(Now)).CompleteAsync(700, Result(Outputs()));
            Assert.Equal(3, await db.ExecutionOutputs.CountAsync(o => o.ExecutionId == 700));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<RichOutput> Outputs() =>
    [
        new(RichMediaTypes.Png, Plot, 6),
        new(RichMediaTypes.Html, Table, 6),
        new(RichMediaTypes.PlainText, Value, 12),
    ];

    private static ExecutionResult Result(IReadOnlyList<RichOutput> outputs) => new()
    {
        Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "drawn\nshown\n", StartedAt = Now, FinishedAt = Now.AddSeconds(1),
        Outputs = outputs, OutputsOmitted = outputs.Count == 3 ? "2 more figures were left out." : null,
    };

    private async Task<(long ConversationId, long ExecutionId)> CompletedRunAsync(string userId, IReadOnlyList<RichOutput> outputs)
    {
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(Now));
        var stored = await store.AddMessageAsync(new NewMessage(userId, null, SnippetKind.Code, "python", "plot()", "", ExecutionTrigger.Submit));
        await store.CompleteAsync(stored!.ExecutionId!.Value, Result(outputs));
        return (stored.ConversationId, stored.ExecutionId.Value);
    }

    private async Task<string> PersonAsync(string name)
    {
        await using var db = database.Open();
        var person = new ChatUser { UserName = $"{name}@example.com", Email = $"{name}@example.com", NormalizedEmail = $"{name.ToUpperInvariant()}@EXAMPLE.COM" };
        db.Users.Add(person);
        await db.SaveChangesAsync();
        return person.Id;
    }

    private static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static IOptions<ExecutionOptions> ShownOutput() => Options.Create(new ExecutionOptions());
}
