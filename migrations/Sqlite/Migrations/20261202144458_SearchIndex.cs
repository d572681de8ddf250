using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Full-text search over everything a person has run: one FTS5 row per reply (the run's snippet code and
    /// stdin, its stdout and stderr, the conversation's title) and per note. Triggers keep it in step inside
    /// the same transaction as the rows it indexes, so no code path (EF, ExecuteUpdate, cascades, retention)
    /// can leave it stale.
    /// </summary>
    /// <remarks>
    /// <para><c>SearchRows</c> hands out the FTS rowids in the order rows are written, so "newest first" is
    /// FTS5's own rowid order and never a sort over every hit. The person, language and status are indexed as
    /// one hex token each (in their own columns, which queries name explicitly), so FTS5 intersects them with
    /// the words in its index instead of reading each hit's stored row.</para>
    /// <para>U+E000 and U+E001 are removed from the indexed copy: the query side marks matches with them and then
    /// HTML-encodes, so text must never carry them itself.</para>
    /// <para>A later migration that rebuilds Executions, Snippets or Conversations (EF's SQLite table rebuild)
    /// drops these triggers; it must create them again.</para>
    /// </remarks>
    public partial class SearchIndex : Migration
    {
        private static string Clean(string text) => $"replace(replace({text}, char(57344), ''), char(57345), '')";

        private const string Columns = """
            rowid, "Title", "Code", "Stdin", "Stdout", "Stderr", "Owner", "Language", "Status", "At"
            """;

        // The indexed row of the run `execution` (a row alias: new, or the table itself when rebuilding).
        private static string RunRow(string execution) => $"""
            SELECT r."Id", {Clean("c.\"Title\"")}, {Clean("s.\"Code\"")},
                {Clean($"s.\"Stdin\" || char(10) || CAST({execution}.\"TypedInput\" AS TEXT)")},
                {Clean($"CAST({execution}.\"Stdout\" AS TEXT)")}, {Clean($"CAST({execution}.\"Stderr\" AS TEXT)")},
                hex({execution}."OwnerId"), hex(s."Language"),
                hex(CASE WHEN {execution}."FinishedAt" IS NULL THEN 'running' ELSE {execution}."Status" END), {execution}."StartedAt"
            FROM "SearchRows" r, "Snippets" s JOIN "Conversations" c ON c."Id" = s."ConversationId"
            WHERE r."ExecutionId" = {execution}."Id" AND s."Id" = {execution}."SnippetId"
            """;

        // The indexed row of the note `note`; a note has no output and no status.
        private static string NoteRow(string note) => $"""
            SELECT r."Id", {Clean("c.\"Title\"")}, {Clean($"{note}.\"Code\"")}, '', '', '',
                hex(c."OwnerId"), hex({note}."Language"), '', {note}."CreatedAt"
            FROM "SearchRows" r, "Conversations" c
            WHERE r."NoteId" = {note}."Id" AND c."Id" = {note}."ConversationId"
            """;

        private const string KeyOfRun = """(SELECT "Id" FROM "SearchRows" WHERE "ExecutionId" = old."Id")""";

        private const string KeyOfNote = """(SELECT "Id" FROM "SearchRows" WHERE "NoteId" = old."Id")""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchRows" (
                    "Id" INTEGER PRIMARY KEY,
                    "ExecutionId" INTEGER UNIQUE,
                    "NoteId" INTEGER UNIQUE
                );
                CREATE VIRTUAL TABLE "SearchText" USING fts5(
                    "Title", "Code", "Stdin", "Stdout", "Stderr", "Owner", "Language", "Status", "At" UNINDEXED,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                """);

            // Existing data, oldest first so that rowid order is time order from the start.
            migrationBuilder.Sql("""
                INSERT INTO "SearchRows" ("ExecutionId", "NoteId")
                SELECT "ExecutionId", "NoteId" FROM (
                    SELECT "Id" AS "ExecutionId", NULL AS "NoteId", "StartedAt" AS "At" FROM "Executions"
                    UNION ALL
                    SELECT NULL, "Id", "CreatedAt" FROM "Snippets" WHERE "Kind" = 'Note'
                ) ORDER BY "At", "ExecutionId", "NoteId";
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "SearchText" ({Columns}) {RunRow("e").Replace("FROM \"SearchRows\" r,", "FROM \"Executions\" e, \"SearchRows\" r,")};
                INSERT INTO "SearchText" ({Columns}) {NoteRow("n").Replace("FROM \"SearchRows\" r,", "FROM \"Snippets\" n, \"SearchRows\" r,")};
                """);

            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_RunInserted" AFTER INSERT ON "Executions" BEGIN
                    INSERT INTO "SearchRows" ("ExecutionId") VALUES (new."Id");
                    INSERT INTO "SearchText" ({Columns}) {RunRow("new")};
                END;
                """);
            // Output saved so far, a run completed, a result stored again: the row is written afresh.
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_RunUpdated"
                AFTER UPDATE OF "Stdout", "Stderr", "TypedInput", "Status", "FinishedAt", "StartedAt", "OwnerId", "SnippetId" ON "Executions" BEGIN
                    DELETE FROM "SearchText" WHERE rowid = {KeyOfRun};
                    INSERT INTO "SearchText" ({Columns}) {RunRow("new")};
                END;
                """);
            // Also fires for rows removed by a cascade (a conversation or snippet deleted) and by retention.
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_RunDeleted" AFTER DELETE ON "Executions" BEGIN
                    DELETE FROM "SearchText" WHERE rowid = {KeyOfRun};
                    DELETE FROM "SearchRows" WHERE "ExecutionId" = old."Id";
                END;
                """);

            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_NoteInserted" AFTER INSERT ON "Snippets" WHEN new."Kind" = 'Note' BEGIN
                    INSERT INTO "SearchRows" ("NoteId") VALUES (new."Id");
                    INSERT INTO "SearchText" ({Columns}) {NoteRow("new")};
                END;
                """);
            // A note edited; a code snippet changed in place re-indexes every run of it.
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_SnippetUpdated"
                AFTER UPDATE OF "Code", "Stdin", "Language", "Kind", "ConversationId" ON "Snippets" BEGIN
                    DELETE FROM "SearchText" WHERE rowid = {KeyOfNote};
                    DELETE FROM "SearchRows" WHERE "NoteId" = old."Id" AND new."Kind" <> 'Note';
                    INSERT OR IGNORE INTO "SearchRows" ("NoteId") SELECT new."Id" WHERE new."Kind" = 'Note';
                    INSERT INTO "SearchText" ({Columns}) {NoteRow("new")} AND new."Kind" = 'Note';
                    DELETE FROM "SearchText" WHERE rowid IN (
                        SELECT r."Id" FROM "Executions" e JOIN "SearchRows" r ON r."ExecutionId" = e."Id" WHERE e."SnippetId" = new."Id");
                    INSERT INTO "SearchText" ({Columns}) {RunRow("e").Replace("FROM \"SearchRows\" r,", "FROM \"Executions\" e, \"SearchRows\" r,")} AND e."SnippetId" = new."Id";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_NoteDeleted" AFTER DELETE ON "Snippets" WHEN old."Kind" = 'Note' BEGIN
                    DELETE FROM "SearchText" WHERE rowid = {KeyOfNote};
                    DELETE FROM "SearchRows" WHERE "NoteId" = old."Id";
                END;
                """);

            // A rename reaches every reply and note of the conversation (runs and UpdatedAt changes do not fire it).
            migrationBuilder.Sql($"""
                CREATE TRIGGER "SearchText_ConversationRenamed" AFTER UPDATE OF "Title" ON "Conversations"
                WHEN old."Title" IS NOT new."Title" BEGIN
                    UPDATE "SearchText" SET "Title" = {Clean("new.\"Title\"")} WHERE rowid IN (
                        SELECT r."Id" FROM "Snippets" s
                            JOIN "Executions" e ON e."SnippetId" = s."Id" JOIN "SearchRows" r ON r."ExecutionId" = e."Id"
                        WHERE s."ConversationId" = new."Id"
                        UNION ALL
                        SELECT r."Id" FROM "Snippets" s JOIN "SearchRows" r ON r."NoteId" = s."Id"
                        WHERE s."ConversationId" = new."Id");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "SearchText_ConversationRenamed";
                DROP TRIGGER IF EXISTS "SearchText_NoteDeleted";
                DROP TRIGGER IF EXISTS "SearchText_SnippetUpdated";
                DROP TRIGGER IF EXISTS "SearchText_NoteInserted";
                DROP TRIGGER IF EXISTS "SearchText_RunDeleted";
                DROP TRIGGER IF EXISTS "SearchText_RunUpdated";
                DROP TRIGGER IF EXISTS "SearchText_RunInserted";
                DROP TABLE IF EXISTS "SearchText";
                DROP TABLE IF EXISTS "SearchRows";
                """);
        }
    }
}
