using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Search;
using CodeChatter.Data;
using CodeChatter.Data.Operations;
using CodeChatter.Data.Search;
using CodeChatter.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeChatter.Tests.Data.Search;

/// <summary>The index follows every write to the rows it indexes, whichever path makes it.</summary>
public class SearchIndexTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private readonly SearchData _data = new(database);

    [Fact]
    public async Task A_renamed_conversation_is_found_by_its_new_title_only_in_every_reply_and_note()
    {
        var person = await _data.PersonAsync("rename");
        var first = await _data.RunAsync(person, "print(1)", title: "Old heron notes");
        var second = await _data.RunAsync(person, "print(2)", conversationId: first.ConversationId);
        var note = await _data.NoteAsync(person, first.ConversationId, "a note");
        await using (var db = database.Open())
        {
            Assert.True(await new EfConversationStore(db).RenameAsync(person, first.ConversationId, "New egret notes", SearchData.Now.UtcDateTime));
        }

        Assert.Empty((await _data.SearchAsync(person, "heron")).Hits.Items);
        var renamed = (await _data.SearchAsync(person, "egret")).Hits.Items;
        Assert.Equal([(long?)null, second.ExecutionId, first.ExecutionId], renamed.Select(h => h.ExecutionId));
        Assert.Equal(note.SnippetId, renamed[0].SnippetId);
        Assert.All(renamed, h => Assert.Equal("New egret notes", h.ConversationTitle));
    }

    [Fact]
    public async Task An_edited_note_is_found_by_its_new_text_and_a_deleted_one_not_at_all()
    {
        var person = await _data.PersonAsync("note");
        var run = await _data.RunAsync(person, "print(1)");
        var note = await _data.NoteAsync(person, run.ConversationId, "first draft about lemurs");
        await using (var db = database.Open())
        {
            Assert.True(await new EfConversationStore(db).EditNoteAsync(person, note.SnippetId, "second draft about tapirs", SearchData.Now.UtcDateTime));
        }

        Assert.Empty(await _data.FoundRunsAsync(person, "lemurs"));
        Assert.Equal(note.SnippetId, (await _data.SearchAsync(person, "tapirs")).Hits.Items.Single().SnippetId);

        await using (var db = database.Open())
        {
            Assert.True(await new EfConversationStore(db).DeleteNoteAsync(person, note.SnippetId, SearchData.Now.UtcDateTime));
        }
        Assert.Empty(await _data.FoundRunsAsync(person, "tapirs"));
    }

    [Fact]
    public async Task Output_saved_so_far_is_found_while_running_and_a_rerun_is_found_beside_the_first_run()
    {
        var person = await _data.PersonAsync("rerun");
        var first = await _data.RunAsync(person, "print(n)", stdout: "count 1");
        await using var db = database.Open();
        var store = new EfRunStore(db, new FixedClock(SearchData.Now));
        var rerun = (await store.StartRerunAsync(person, first.SnippetId, ExecutionTrigger.Rerun))!;
        await store.SaveOutputSoFarAsync(rerun.ExecutionId, "partial ibis", "");

        var running = (await _data.SearchAsync(person, "ibis")).Hits.Items.Single();
        Assert.Equal((rerun.ExecutionId, "running"), (running.ExecutionId, running.Status));

        await store.CompleteAsync(rerun.ExecutionId, SearchData.Result(RunStatus.Failed, "count 2", "ibis fell", SearchData.Now));

        Assert.Empty(await _data.FoundRunsAsync(person, "partial"));
        var finished = (await _data.SearchAsync(person, "ibis")).Hits.Items.Single();
        Assert.Equal(("failed", "stderr"), (finished.Status, finished.ExcerptFrom));
        Assert.Equal([rerun.ExecutionId, first.ExecutionId], await _data.FoundRunsAsync(person, "count"));
    }

    [Fact]
    public async Task A_deleted_conversation_takes_its_replies_and_notes_out_of_the_index()
    {
        var person = await _data.PersonAsync("delete");
        var run = await _data.RunAsync(person, "print('okapi')", stdout: "okapi");
        await _data.NoteAsync(person, run.ConversationId, "okapi facts");
        var kept = await _data.RunAsync(person, "print('okapi')");
        await using (var db = database.Open())
        {
            Assert.True(await new EfConversationStore(db).DeleteAsync(person, run.ConversationId));
        }

        Assert.Equal([kept.ExecutionId], await _data.FoundRunsAsync(person, "okapi"));
        await using var read = database.Open();
        Assert.Equal(0, await Count(read, """SELECT count(*) AS "Value" FROM "SearchRows" r LEFT JOIN "Executions" e ON e."Id" = r."ExecutionId" LEFT JOIN "Snippets" s ON s."Id" = r."NoteId" WHERE e."Id" IS NULL AND s."Id" IS NULL"""));
    }

    [Fact]
    public async Task Runs_removed_by_retention_are_no_longer_found()
    {
        var person = await _data.PersonAsync("retention");
        var old = await _data.RunAsync(person, "print('gnu')", at: SearchData.Now.AddDays(-400));
        var recent = await _data.RunAsync(person, "print('gnu')", conversationId: old.ConversationId);
        await using (var db = database.Open())
        {
            await new EfRunRetention(db, TestDatabase.Backup(db), NullLogger<EfRunRetention>.Instance).RemoveOlderThanAsync(SearchData.Now.AddDays(-365));
        }

        Assert.Equal([recent.ExecutionId], await _data.FoundRunsAsync(person, "gnu"));
    }

    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    public async Task The_migration_indexes_what_was_stored_before_it()
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
                await old.GetService<IMigrator>().MigrateAsync("20261202144435_ShareLinks");
                await old.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "AspNetUsers" ("Id", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "CreatedAt", "IsDisabled")
                    VALUES ('old-user', 'old@example.com', 'old@example.com', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', 0),
                           ('other', 'other@example.com', 'other@example.com', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', 0);
                    INSERT INTO "Conversations" ("Id", "OwnerId", "Title", "DefaultLanguage", "CreatedAt", "UpdatedAt", "Mode", "LastSessionGeneration")
                    VALUES (7, 'old-user', 'Stored before search', 'python', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'fresh', 0),
                           (8, 'other', 'Someone else''s', 'python', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'fresh', 0);
                    INSERT INTO "Snippets" ("Id", "ConversationId", "Sequence", "Kind", "Language", "Code", "Stdin", "CreatedAt")
                    VALUES (70, 7, 1, 'Code', 'python', 'print(pangolin)', 'stdin-marmot', '2026-01-01 00:00:00'),
                           (71, 7, 2, 'Note', 'markdown', 'a note on the pangolin', '', '2026-01-01 00:00:02'),
                           (80, 8, 1, 'Code', 'python', 'print(pangolin)', '', '2026-01-01 00:00:00');
                    INSERT INTO "Executions" ("Id", "SnippetId", "OwnerId", "Trigger", "StartedAt", "FinishedAt", "Status", "Stdout", "Stderr", "StdoutTruncated", "StderrTruncated", "WallTimeMs", "SandboxLevel", "TypedInput")
                    VALUES (700, 70, 'old-user', 'Submit', '2026-01-01 00:00:01', '2026-01-01 00:00:01', 'succeeded', CAST('out-caracal' AS BLOB), X'', 0, 0, 10, 'bubblewrap', X''),
                           (800, 80, 'other', 'Submit', '2026-01-01 00:00:01', '2026-01-01 00:00:01', 'succeeded', X'', X'', 0, 0, 10, 'bubblewrap', X'');
                    """);
            }
            await using (var migrated = new ChatDbContext(options))
            {
                await migrated.Database.MigrateAsync();
            }
            await using var db = new ChatDbContext(options);
            var search = new SearchService(TestDatabase.SearchQueries(db));

            var pangolin = (await search.SearchOwnAsync("old-user", new SearchRequest("pangolin"))).Hits.Items;
            Assert.Equal([(long?)null, 700], pangolin.Select(h => h.ExecutionId));
            Assert.Equal(71, pangolin[0].SnippetId);
            foreach (var word in new[] { "marmot", "caracal" })
            {
                Assert.Equal(700, (await search.SearchOwnAsync("old-user", new SearchRequest(word))).Hits.Items.Single().ExecutionId);
            }
            var titled = await search.SearchOwnAsync("old-user", new SearchRequest("\"stored before search\""));
            Assert.Equal([(long?)null, 700], titled.Hits.Items.Select(h => h.ExecutionId));
            Assert.Equal(800, (await search.SearchOwnAsync("other", new SearchRequest("pangolin"))).Hits.Items.Single().ExecutionId);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> Count(ChatDbContext db, string sql) => await db.Database.SqlQueryRaw<int>(sql).SingleAsync();
}
