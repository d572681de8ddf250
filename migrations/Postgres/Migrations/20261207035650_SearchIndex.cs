using CodeChatter.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeChatter.Migrations.Postgres.Migrations
{
    /// <summary>
    /// Full-text search on PostgreSQL's own text search, behind the same query interface as SQLite's FTS5 index:
    /// one <c>SearchRows</c> row per reply (the run's snippet code and stdin with what was typed, its stdout and
    /// stderr, the conversation's title) and per note, with a <c>tsvector</c> of those texts. Triggers keep it in
    /// step inside the same transaction as the rows it indexes, so no code path (EF, ExecuteUpdate, cascades,
    /// retention) can leave it stale.
    /// </summary>
    /// <remarks>
    /// <para>"Id" is handed out in the order rows are written and kept when a row is written again, so "newest
    /// first" is an index walk, as FTS5's rowid order is on SQLite. The 'simple' configuration lower-cases and
    /// never stems: code is searched for the words it holds, not an English dictionary's roots.</para>
    /// <para>U+E000 and U+E001 are removed from the indexed copy: the query side marks matches with them and then
    /// HTML-encodes, so text must never carry them itself. U+E002 is removed too: the query side brackets short texts
    /// with it so that ts_headline keeps their first and last characters. Output is stored as UTF-8 bytes; a NUL a run printed
    /// (which PostgreSQL text cannot hold) is indexed as a space.</para>
    /// </remarks>
    [DbContext(typeof(ChatDbContext))]
    [Migration("20261207035650_SearchIndex")]
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchRows" (
                    "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    "ExecutionId" bigint UNIQUE,
                    "NoteId" bigint UNIQUE,
                    "OwnerId" text NOT NULL,
                    "Language" text NOT NULL,
                    "Status" text NOT NULL,
                    "At" timestamp with time zone NOT NULL,
                    "Title" text NOT NULL,
                    "Code" text NOT NULL,
                    "Stdin" text NOT NULL,
                    "Stdout" text NOT NULL,
                    "Stderr" text NOT NULL,
                    "Document" tsvector NOT NULL
                );
                CREATE INDEX "IX_SearchRows_Document" ON "SearchRows" USING gin ("Document");
                CREATE INDEX "IX_SearchRows_OwnerId_Id" ON "SearchRows" ("OwnerId", "Id");
                """);

            // Stored output as text: NULs become spaces, bytes that are not UTF-8 leave the text out rather than fail the write.
            migrationBuilder.Sql("""
                CREATE FUNCTION cc_search_text(value bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
                DECLARE
                    nul integer;
                BEGIN
                    IF value IS NULL THEN RETURN ''; END IF;
                    nul := position('\x00'::bytea IN value);
                    WHILE nul > 0 LOOP
                        value := overlay(value PLACING '\x20'::bytea FROM nul FOR 1);
                        nul := position('\x00'::bytea IN value);
                    END LOOP;
                    RETURN convert_from(value, 'UTF8');
                EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character OR invalid_parameter_value THEN
                    RETURN '';
                END $$;

                CREATE FUNCTION cc_search_clean(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                    SELECT translate(coalesce(value, ''), U&'\E000\E001\E002', '')
                $$;

                -- The text as the parser is to read it. PostgreSQL's parser takes <...> for an XML tag and &...; for an
                -- entity and drops the words around them (print('<b>x</b>') would lose x); as control characters they
                -- only separate words. ts_headline keeps them, and the query side turns them back.
                CREATE FUNCTION cc_search_parsable(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                    SELECT translate(value, E'\x01\x02\x03<>&', E'   \x01\x02\x03')
                $$;

                CREATE FUNCTION cc_search_document(title text, code text, stdin text, stdout text, stderr text)
                RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
                    SELECT to_tsvector('simple', cc_search_parsable(title)) || to_tsvector('simple', cc_search_parsable(code))
                        || to_tsvector('simple', cc_search_parsable(stdin)) || to_tsvector('simple', cc_search_parsable(stdout))
                        || to_tsvector('simple', cc_search_parsable(stderr))
                $$;

                -- One term of a search: its words as a phrase, the last one a prefix when asked. Terms arrive as
                -- parameters, so a person's text is never read as tsquery syntax.
                CREATE FUNCTION cc_search_term(term text, prefix boolean) RETURNS tsquery LANGUAGE sql IMMUTABLE AS $$
                    SELECT CASE WHEN prefix AND numnode(phraseto_tsquery('simple', cc_search_parsable(cc_search_clean(term)))) > 0
                        THEN (phraseto_tsquery('simple', cc_search_parsable(cc_search_clean(term)))::text || ':*')::tsquery
                        ELSE phraseto_tsquery('simple', cc_search_parsable(cc_search_clean(term))) END
                $$;
                """);

            migrationBuilder.Sql("""
                CREATE FUNCTION cc_search_index_run(run bigint) RETURNS void LANGUAGE sql AS $$
                    INSERT INTO "SearchRows" ("ExecutionId", "OwnerId", "Language", "Status", "At", "Title", "Code", "Stdin", "Stdout", "Stderr", "Document")
                    SELECT e."Id", e."OwnerId", s."Language", CASE WHEN e."FinishedAt" IS NULL THEN 'running' ELSE e."Status" END,
                        e."StartedAt", t.title, t.code, t.stdin, t.stdout, t.stderr, cc_search_document(t.title, t.code, t.stdin, t.stdout, t.stderr)
                    FROM "Executions" AS e
                    JOIN "Snippets" AS s ON s."Id" = e."SnippetId"
                    JOIN "Conversations" AS c ON c."Id" = s."ConversationId"
                    CROSS JOIN LATERAL (SELECT cc_search_clean(c."Title") AS title, cc_search_clean(s."Code") AS code,
                        cc_search_clean(coalesce(s."Stdin", '') || E'\n' || cc_search_text(e."TypedInput")) AS stdin,
                        cc_search_clean(cc_search_text(e."Stdout")) AS stdout, cc_search_clean(cc_search_text(e."Stderr")) AS stderr) AS t
                    WHERE e."Id" = run
                    ON CONFLICT ("ExecutionId") DO UPDATE SET
                        "OwnerId" = excluded."OwnerId", "Language" = excluded."Language", "Status" = excluded."Status", "At" = excluded."At",
                        "Title" = excluded."Title", "Code" = excluded."Code", "Stdin" = excluded."Stdin", "Stdout" = excluded."Stdout",
                        "Stderr" = excluded."Stderr", "Document" = excluded."Document"
                $$;

                CREATE FUNCTION cc_search_index_note(note bigint) RETURNS void LANGUAGE sql AS $$
                    INSERT INTO "SearchRows" ("NoteId", "OwnerId", "Language", "Status", "At", "Title", "Code", "Stdin", "Stdout", "Stderr", "Document")
                    SELECT n."Id", c."OwnerId", n."Language", '', n."CreatedAt", t.title, t.code, '', '', '', cc_search_document(t.title, t.code, '', '', '')
                    FROM "Snippets" AS n
                    JOIN "Conversations" AS c ON c."Id" = n."ConversationId"
                    CROSS JOIN LATERAL (SELECT cc_search_clean(c."Title") AS title, cc_search_clean(n."Code") AS code) AS t
                    WHERE n."Id" = note AND n."Kind" = 'Note'
                    ON CONFLICT ("NoteId") DO UPDATE SET
                        "OwnerId" = excluded."OwnerId", "Language" = excluded."Language", "At" = excluded."At",
                        "Title" = excluded."Title", "Code" = excluded."Code", "Document" = excluded."Document"
                $$;
                """);

            migrationBuilder.Sql("""
                CREATE FUNCTION cc_search_run_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchRows" WHERE "ExecutionId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    PERFORM cc_search_index_run(NEW."Id");
                    RETURN NEW;
                END $$;

                -- Output saved so far, a run completed, a result stored again: the row is written afresh.
                CREATE TRIGGER "SearchRows_RunInserted" AFTER INSERT ON "Executions"
                    FOR EACH ROW EXECUTE FUNCTION cc_search_run_changed();
                CREATE TRIGGER "SearchRows_RunUpdated"
                    AFTER UPDATE OF "Stdout", "Stderr", "TypedInput", "Status", "FinishedAt", "StartedAt", "OwnerId", "SnippetId" ON "Executions"
                    FOR EACH ROW EXECUTE FUNCTION cc_search_run_changed();
                -- Also fires for rows removed by a cascade (a conversation or snippet deleted) and by retention.
                CREATE TRIGGER "SearchRows_RunDeleted" AFTER DELETE ON "Executions"
                    FOR EACH ROW EXECUTE FUNCTION cc_search_run_changed();

                CREATE FUNCTION cc_search_snippet_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        DELETE FROM "SearchRows" WHERE "NoteId" = OLD."Id";
                        RETURN OLD;
                    END IF;
                    IF NEW."Kind" = 'Note' THEN
                        PERFORM cc_search_index_note(NEW."Id");
                    ELSE
                        DELETE FROM "SearchRows" WHERE "NoteId" = NEW."Id";
                    END IF;
                    -- A code snippet changed in place re-indexes every run of it.
                    IF TG_OP = 'UPDATE' THEN
                        PERFORM cc_search_index_run(e."Id") FROM "Executions" AS e WHERE e."SnippetId" = NEW."Id";
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER "SearchRows_SnippetInserted" AFTER INSERT ON "Snippets"
                    FOR EACH ROW WHEN (NEW."Kind" = 'Note') EXECUTE FUNCTION cc_search_snippet_changed();
                CREATE TRIGGER "SearchRows_SnippetUpdated"
                    AFTER UPDATE OF "Code", "Stdin", "Language", "Kind", "ConversationId" ON "Snippets"
                    FOR EACH ROW EXECUTE FUNCTION cc_search_snippet_changed();
                CREATE TRIGGER "SearchRows_NoteDeleted" AFTER DELETE ON "Snippets"
                    FOR EACH ROW WHEN (OLD."Kind" = 'Note') EXECUTE FUNCTION cc_search_snippet_changed();

                -- A rename reaches every reply and note of the conversation (runs and UpdatedAt changes do not fire it).
                CREATE FUNCTION cc_search_conversation_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "SearchRows" AS r
                    SET "Title" = cc_search_clean(NEW."Title"),
                        "Document" = cc_search_document(cc_search_clean(NEW."Title"), r."Code", r."Stdin", r."Stdout", r."Stderr")
                    WHERE r."Id" IN (
                        SELECT r2."Id" FROM "Snippets" AS s
                            JOIN "Executions" AS e ON e."SnippetId" = s."Id" JOIN "SearchRows" AS r2 ON r2."ExecutionId" = e."Id"
                        WHERE s."ConversationId" = NEW."Id"
                        UNION ALL
                        SELECT r2."Id" FROM "Snippets" AS s JOIN "SearchRows" AS r2 ON r2."NoteId" = s."Id"
                        WHERE s."ConversationId" = NEW."Id");
                    RETURN NEW;
                END $$;

                CREATE TRIGGER "SearchRows_ConversationRenamed" AFTER UPDATE OF "Title" ON "Conversations"
                    FOR EACH ROW WHEN (OLD."Title" IS DISTINCT FROM NEW."Title") EXECUTE FUNCTION cc_search_conversation_renamed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "SearchRows_ConversationRenamed" ON "Conversations";
                DROP TRIGGER IF EXISTS "SearchRows_NoteDeleted" ON "Snippets";
                DROP TRIGGER IF EXISTS "SearchRows_SnippetUpdated" ON "Snippets";
                DROP TRIGGER IF EXISTS "SearchRows_SnippetInserted" ON "Snippets";
                DROP TRIGGER IF EXISTS "SearchRows_RunDeleted" ON "Executions";
                DROP TRIGGER IF EXISTS "SearchRows_RunUpdated" ON "Executions";
                DROP TRIGGER IF EXISTS "SearchRows_RunInserted" ON "Executions";
                DROP FUNCTION IF EXISTS cc_search_conversation_renamed();
                DROP FUNCTION IF EXISTS cc_search_snippet_changed();
                DROP FUNCTION IF EXISTS cc_search_run_changed();
                DROP FUNCTION IF EXISTS cc_search_index_note(bigint);
                DROP FUNCTION IF EXISTS cc_search_index_run(bigint);
                DROP FUNCTION IF EXISTS cc_search_term(text, boolean);
                DROP FUNCTION IF EXISTS cc_search_document(text, text, text, text, text);
                DROP FUNCTION IF EXISTS cc_search_parsable(text);
                DROP FUNCTION IF EXISTS cc_search_clean(text);
                DROP FUNCTION IF EXISTS cc_search_text(bytea);
                DROP TABLE IF EXISTS "SearchRows";
                """);
        }
    }
}
