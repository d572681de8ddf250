using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Data.Reading;
using CodeChatter.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Data.Chat;

public class SessionDataTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    public async Task Conversations_stored_before_sessions_existed_read_fresh_after_the_migration()
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
                await old.GetService<IMigrator>().MigrateAsync("20261202015746_LosslessRunOutput");
                await old.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "CreatedAt", "IsDisabled")
                    VALUES ('old-user', 'old@example.com', 'old@example.com', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', 0);
                    INSERT INTO "Conversations" ("Id", "OwnerId", "Title", "DefaultLanguage", "CreatedAt", "UpdatedAt")
                    VALUES (7, 'old-user', 'from before', 'python', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
                    INSERT INTO "Snippets" ("Id", "ConversationId", "Sequence", "Kind", "Language", "Code", "Stdin", "CreatedAt")
                    VALUES (70, 7, 1, 'Code', 'python', 'print(1)', '', '2026-01-01 00:00:00');
                    INSERT INTO "Executions" ("Id", "SnippetId", "OwnerId", "Trigger", "StartedAt", "FinishedAt", "Status", "Stdout", "Stderr", "StdoutTruncated", "StderrTruncated", "WallTimeMs", "SandboxLevel")
                    VALUES (700, 70, 'old-user', 'Submit', '2026-01-01 00:00:00', '2026-01-01 00:00:01', 'succeeded', X'310A', X'', 0, 0, 10, 'bubblewrap');
                    """);
            }
            await using (var migrated = new ChatDbContext(options))
            {
                await migrated.Database.MigrateAsync();
            }
            await using var db = new ChatDbContext(options);

            var conversation = await new EfConversationQueries(db, ShownOutput()).FindOwnedAsync("old-user", 7);

            Assert.Equal(ConversationMode.Fresh, conversation!.Mode);
            var run = conversation.Messages[0].Latest!.Run;
            Assert.Equal((ConversationMode.Fresh, (int?)null, (int?)null, (SessionEvent?)null, ""), (run.Mode, run.SessionGeneration, run.ExecutionCounter, run.SessionEvent, run.TypedInput));
            Assert.Equal(0, (await db.Conversations.SingleAsync()).LastSessionGeneration);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_conversation_runs_in_a_session_unless_the_message_asks_for_fresh()
    {
        var userId = await PersonAsync("modes");
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(Now));

        var byDefault = await store.AddMessageAsync(Message(userId));
        var fresh = await store.AddMessageAsync(Message(userId) with { Mode = ConversationMode.Fresh });
        var appended = await store.AddMessageAsync(Message(userId) with { ConversationId = fresh!.ConversationId, Mode = ConversationMode.Session });

        Assert.Equal(ConversationMode.Session, byDefault!.Mode);
        Assert.Equal(ConversationMode.Fresh, fresh.Mode);
        Assert.Equal(ConversationMode.Fresh, appended!.Mode);
        var summaries = await new EfConversationQueries(db, ShownOutput()).ListAllAsync(userId);
        Assert.Equal([ConversationMode.Fresh, ConversationMode.Session], summaries.OrderByDescending(s => s.Id).Select(s => s.Mode));
    }

    [Fact]
    public async Task Each_new_session_of_a_conversation_gets_the_next_generation_even_when_two_start_at_once()
    {
        var userId = await PersonAsync("generations");
        long conversationId;
        await using (var db = database.Open())
        {
            conversationId = (await new EfRunStore(db, new FixedClock(Now)).AddMessageAsync(Message(userId)))!.ConversationId;
        }

        var first = await NextAsync(conversationId);
        var together = await Task.WhenAll(NextAsync(conversationId), NextAsync(conversationId));

        Assert.Equal(1, first);
        Assert.Equal([2, 3], together.Order());
        await using var check = database.Open();
        Assert.Equal(3, (await check.Conversations.SingleAsync(c => c.Id == conversationId)).LastSessionGeneration);
    }

    [Fact]
    public async Task A_session_run_is_stored_with_its_generation_counter_event_and_typed_input_and_read_back_as_such()
    {
        var userId = await PersonAsync("stored");
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(Now));
        var stored = await store.AddMessageAsync(Message(userId));
        var result = new ExecutionResult
        {
            Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "hi ada\n", StartedAt = Now, FinishedAt = Now.AddSeconds(1),
            Session = new SessionRunInfo(2, 5, SessionEvent.KilledStateLost), TypedInput = "ada\n\0",
        };

        await store.CompleteAsync(stored!.ExecutionId!.Value, result);

        await using var read = database.Open();
        var run = (await new EfRunQueries(read, ShownOutput()).FindAsync(userId, stored.ExecutionId.Value))!;
        Assert.Equal((ConversationMode.Session, (int?)2, (int?)5, (SessionEvent?)SessionEvent.KilledStateLost, "ada\n\0"),
            (run.Mode, run.SessionGeneration, run.ExecutionCounter, run.SessionEvent, run.TypedInput));
        Assert.Equal("killed_state_lost", await read.Database
            .SqlQuery<string>($"""SELECT "SessionEvent" AS "Value" FROM "Executions" WHERE "Id" = {stored.ExecutionId.Value}""")
            .SingleAsync());
        var state = await new EfConversationQueries(read, ShownOutput()).FindSessionStateAsync(userId, stored.ConversationId);
        Assert.Equal(new CodeChatter.Core.Chat.Reading.ConversationSessionState(stored.ConversationId, ConversationMode.Session, 2), state);
        Assert.Null(await new EfConversationQueries(read, ShownOutput()).FindSessionStateAsync("someone-else", stored.ConversationId));
    }

    [Fact]
    public async Task Setting_the_mode_answers_the_one_before_and_finds_nothing_in_someone_elses_conversation()
    {
        var userId = await PersonAsync("switch");
        await using var db = database.Open();
        var stored = await new EfRunStore(db, new FixedClock(Now)).AddMessageAsync(Message(userId));
        var conversations = new EfConversationStore(db);

        var before = await conversations.SetModeAsync(userId, stored!.ConversationId, ConversationMode.Fresh, Now.UtcDateTime);
        var again = await conversations.SetModeAsync(userId, stored.ConversationId, ConversationMode.Fresh, Now.UtcDateTime);
        var stranger = await conversations.SetModeAsync("someone-else", stored.ConversationId, ConversationMode.Session, Now.UtcDateTime);

        Assert.Equal((ConversationMode?)ConversationMode.Session, before);
        Assert.Equal((ConversationMode?)ConversationMode.Fresh, again);
        Assert.Null(stranger);
        await using var read = database.Open();
        Assert.Equal(ConversationMode.Fresh, (await read.Conversations.SingleAsync(c => c.Id == stored.ConversationId)).Mode);
    }

    private async Task<int> NextAsync(long conversationId)
    {
        await using var db = database.Open();
        return await new EfRunStore(db, new FixedClock(Now)).NextSessionGenerationAsync(conversationId);
    }

    private async Task<string> PersonAsync(string name)
    {
        await using var db = database.Open();
        var person = new ChatUser { UserName = $"{name}@example.com", Email = $"{name}@example.com", NormalizedEmail = $"{name.ToUpperInvariant()}@EXAMPLE.COM" };
        db.Users.Add(person);
        await db.SaveChangesAsync();
        return person.Id;
    }

    private static NewMessage Message(string userId) =>
        new(userId, null, SnippetKind.Code, "python", "print(1)", "", ExecutionTrigger.Submit);

    private static IOptions<ExecutionOptions> ShownOutput() => Options.Create(new ExecutionOptions());
}
