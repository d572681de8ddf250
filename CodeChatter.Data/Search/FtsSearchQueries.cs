using System.Globalization;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Search;

/// <summary>
/// Searches the SQLite FTS5 index that the SearchIndex migration's triggers keep in step with the rows.
/// A person's search names their hex token in the MATCH expression and their id again when the page's rows
/// are read, so nobody else's row can reach them even if one of the two were wrong.
/// </summary>
public sealed class FtsSearchQueries(ChatDbContext db) : ISearchQueries
{
    // SQLITE_ERROR: what FTS5 raises for a MATCH expression it cannot parse.
    private const int SqliteError = 1;

    private const int ExcerptTokens = 24;

    /// <inheritdoc />
    public async Task<PagedList<SearchHit>> SearchAsync(SearchCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var match = Fts5Match.For(criteria);
            var (dates, from, toExclusive) = DateFilter(criteria.Request);
            int total;
            try
            {
                // Counted up to the limit only: FTS5 walks its doclists lazily, so this stops early.
                var count = Command(connection, $"""
                    SELECT count(*) FROM (SELECT 1 FROM "SearchText" WHERE "SearchText" MATCH $match {dates} LIMIT $limit)
                    """, match, from, toExclusive);
                count.Parameters.AddWithValue("$limit", criteria.CountLimit);
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteError)
            {
                throw new SearchQueryNotUnderstoodException($"FTS5 could not read the query: {exception.Message}", exception);
            }
            var page = PagedList<SearchHit>.ClampPage(criteria.Request.Page, criteria.PageSize, total);
            var excerpts = await ExcerptsAsync(connection, criteria, match, dates, from, toExclusive, page, cancellationToken);
            var hits = await HitsAsync(connection, criteria.OwnerId, excerpts, cancellationToken);
            return new PagedList<SearchHit>(hits, page, criteria.PageSize, total);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> LanguagesAsync(string? ownerId, CancellationToken cancellationToken = default) =>
        db.SearchLanguagesAsync(ownerId, cancellationToken);

    private static (string Sql, string? From, string? ToExclusive) DateFilter(SearchRequest request)
    {
        // "At" holds the row's time as EF stores it (yyyy-MM-dd HH:mm:ss...), so day strings compare in order.
        var from = request.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = request.To?.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sql = (from is null ? "" : """ AND "At" >= $from""") + (to is null ? "" : """ AND "At" < $to""");
        return (sql, from, to);
    }

    private sealed record Excerpt(long Key, HighlightedText Text, string From);

    private static async Task<List<Excerpt>> ExcerptsAsync(
        SqliteConnection connection, SearchCriteria criteria, string match, string dates, string? from, string? toExclusive,
        int page, CancellationToken cancellationToken)
    {
        // Newest first is FTS5's own rowid order (rowids are handed out as rows are written): no sort at all.
        // Best match first ranks the newest CountLimit hits by bm25, then reads the page's excerpts by rowid,
        // so snippet() runs for the page only.
        var keys = Command(connection, criteria.Request.Order == SearchOrder.Relevance
            ? $"""
                SELECT "Key" FROM (
                    SELECT rowid AS "Key", rank AS "Score" FROM "SearchText" WHERE "SearchText" MATCH $match {dates}
                    ORDER BY rowid DESC LIMIT $limit)
                ORDER BY "Score", "Key" DESC LIMIT $take OFFSET $skip
                """
            : $"""
                SELECT rowid FROM "SearchText" WHERE "SearchText" MATCH $match {dates} ORDER BY rowid DESC LIMIT $take OFFSET $skip
                """, match, from, toExclusive);
        keys.Parameters.AddWithValue("$limit", criteria.CountLimit);
        keys.Parameters.AddWithValue("$take", criteria.PageSize);
        keys.Parameters.AddWithValue("$skip", (page - 1) * criteria.PageSize);
        var pageKeys = new List<long>();
        await using (var reader = await keys.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) pageKeys.Add(reader.GetInt64(0));
        }

        // One snippet() per text column, so the excerpt never comes from the person/language/status tokens.
        var snippets = string.Join(", ", Fts5Match.TextColumns.Select((_, column) =>
            $"snippet(\"SearchText\", {column}, char(57344), char(57345), '…', {ExcerptTokens})"));
        var excerpt = Command(connection, $"""
            SELECT {snippets} FROM "SearchText" WHERE "SearchText" MATCH $match AND rowid = $key
            """, match, null, null);
        var key = excerpt.Parameters.Add("$key", SqliteType.Integer);
        var excerpts = new List<Excerpt>();
        foreach (var pageKey in pageKeys)
        {
            key.Value = pageKey;
            await using var reader = await excerpt.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) continue;
            var columns = Enumerable.Range(0, Fts5Match.TextColumns.Count).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i)).ToList();
            excerpts.Add(Best(pageKey, columns));
        }
        return excerpts;
    }

    // The column with the most marked matches; on a tie the code, then the output, then the rest.
    private static readonly int[] Preference = [1, 3, 4, 2, 0];

    private static Excerpt Best(long key, IReadOnlyList<string> columns)
    {
        var best = Preference.OrderByDescending(c => columns[c].Count(ch => ch == SearchTerms.MatchStart)).First();
        return new Excerpt(key, HighlightedText.FromMarked(columns[best]), Fts5Match.TextColumns[best]);
    }

    private static async Task<List<SearchHit>> HitsAsync(
        SqliteConnection connection, string? ownerId, List<Excerpt> excerpts, CancellationToken cancellationToken)
    {
        if (excerpts.Count == 0) return [];
        var keys = string.Join(", ", excerpts.Select((_, i) => $"$k{i}"));
        var command = Command(connection, $"""
            SELECT r."Id", r."ExecutionId", s."Id", s."ConversationId", c."Title", c."OwnerId", COALESCE(u."Email", c."OwnerId"),
                s."Kind", s."Language", CASE WHEN e."Id" IS NULL THEN NULL WHEN e."FinishedAt" IS NULL THEN 'running' ELSE e."Status" END,
                COALESCE(e."StartedAt", s."CreatedAt")
            FROM "SearchRows" AS r
            LEFT JOIN "Executions" AS e ON e."Id" = r."ExecutionId"
            JOIN "Snippets" AS s ON s."Id" = COALESCE(e."SnippetId", r."NoteId")
            JOIN "Conversations" AS c ON c."Id" = s."ConversationId"
            LEFT JOIN "AspNetUsers" AS u ON u."Id" = c."OwnerId"
            WHERE r."Id" IN ({keys}) AND ($owner IS NULL OR c."OwnerId" = $owner)
            """, null, null, null);
        for (var i = 0; i < excerpts.Count; i++) command.Parameters.AddWithValue($"$k{i}", excerpts[i].Key);
        command.Parameters.AddWithValue("$owner", (object?)ownerId ?? DBNull.Value);
        var rows = new Dictionary<long, SearchHit>();
        var byKey = excerpts.ToDictionary(e => e.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetInt64(0);
            var excerpt = byKey[key];
            rows[key] = new SearchHit(
                reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Enum.Parse<SnippetKind>(reader.GetString(7)), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc),
                excerpt.Text, excerpt.From);
        }
        return excerpts.Where(e => rows.ContainsKey(e.Key)).Select(e => rows[e.Key]).ToList();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string? match, string? from, string? toExclusive)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (match is not null) command.Parameters.AddWithValue("$match", match);
        if (from is not null) command.Parameters.AddWithValue("$from", from);
        if (toExclusive is not null) command.Parameters.AddWithValue("$to", toExclusive);
        return command;
    }
}
