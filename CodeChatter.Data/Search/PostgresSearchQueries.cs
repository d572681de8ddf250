using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Search;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CodeChatter.Data.Search;

/// <summary>
/// Searches PostgreSQL's own text search: the <c>SearchRows</c> table of the PostgreSQL SearchIndex migration,
/// one row per reply and per note, with a <c>tsvector</c> that triggers keep in step inside the same transaction
/// as the rows it indexes. Terms reach the server only as parameters of <c>cc_search_term</c> (a phrase, or a
/// prefix), so nothing a person types becomes tsquery syntax. The owner is checked in the match and again when
/// the page's rows are read, as on SQLite.
/// </summary>
public sealed class PostgresSearchQueries(ChatDbContext db) : ISearchQueries
{
    private static readonly string HeadlineOptions =
        $"StartSel={SearchTerms.MatchStart}, StopSel={SearchTerms.MatchEnd}, MaxWords=24, MinWords=8, ShortWord=0, MaxFragments=1, FragmentDelimiter=\" … \"";

    // A text this short is its own excerpt, whole, as FTS5's snippet() gives it.
    private const int ShownWhole = 160;

    /// <inheritdoc />
    public async Task<PagedList<SearchHit>> SearchAsync(SearchCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        if (criteria.Terms.Included.Count == 0)
        {
            throw new SearchQueryNotUnderstoodException("a search needs a word to look for", new ArgumentException("no included term"));
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var match = new Match(criteria);
            // Counted up to the limit only, as on SQLite: a common word in a big history stops early.
            await using var count = match.Command(connection,
                $"""SELECT count(*) FROM (SELECT 1 FROM "SearchRows" AS r WHERE {match.Where} LIMIT @limit) AS hits""");
            count.Parameters.AddWithValue("limit", criteria.CountLimit);
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            var page = PagedList<SearchHit>.ClampPage(criteria.Request.Page, criteria.PageSize, total);
            var keys = await PageKeysAsync(connection, criteria, match, page, cancellationToken);
            var hits = await HitsAsync(connection, criteria.OwnerId, match, keys, cancellationToken);
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

    private static async Task<List<long>> PageKeysAsync(
        NpgsqlConnection connection, SearchCriteria criteria, Match match, int page, CancellationToken cancellationToken)
    {
        // Newest first is the order rows were indexed in ("Id"); best match first ranks the newest CountLimit hits.
        await using var command = match.Command(connection, criteria.Request.Order == SearchOrder.Relevance
            ? $"""
                SELECT "Id" FROM (
                    SELECT r."Id", ts_rank(r."Document", {match.Query}) AS "Score" FROM "SearchRows" AS r
                    WHERE {match.Where} ORDER BY r."Id" DESC LIMIT @limit) AS newest
                ORDER BY "Score" DESC, "Id" DESC LIMIT @take OFFSET @skip
                """
            : $"""
                SELECT r."Id" FROM "SearchRows" AS r WHERE {match.Where} ORDER BY r."Id" DESC LIMIT @take OFFSET @skip
                """);
        command.Parameters.AddWithValue("limit", criteria.CountLimit);
        command.Parameters.AddWithValue("take", criteria.PageSize);
        command.Parameters.AddWithValue("skip", (page - 1) * criteria.PageSize);
        var keys = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetInt64(0));
        return keys;
    }

    // The column with the most marked matches; on a tie the code, then the output, then the rest (as on SQLite).
    private static readonly int[] Preference = [1, 3, 4, 2, 0];

    private static readonly string[] TextColumns = ["Title", "Code", "Stdin", "Stdout", "Stderr"];

    private static async Task<List<SearchHit>> HitsAsync(
        NpgsqlConnection connection, string? ownerId, Match match, List<long> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return [];
        // One headline per text column, for the page's rows only, so the excerpt comes from where the words are.
        var headlines = string.Join(", ", TextColumns.Select(column => $$"""
            CASE WHEN length(r."{{column}}") <= @whole
                THEN ts_headline('simple', U&'\E002 ' || cc_search_parsable(r."{{column}}") || U&' \E002', {{match.Query}}, @all)
                ELSE ts_headline('simple', cc_search_parsable(r."{{column}}"), {{match.Query}}, @options) END
            """));
        await using var command = match.Command(connection, $"""
            SELECT r."Id", r."ExecutionId", s."Id", s."ConversationId", c."Title", c."OwnerId", COALESCE(u."Email", c."OwnerId"),
                s."Kind", s."Language", CASE WHEN e."Id" IS NULL THEN NULL WHEN e."FinishedAt" IS NULL THEN 'running' ELSE e."Status" END,
                COALESCE(e."StartedAt", s."CreatedAt"), {headlines}
            FROM "SearchRows" AS r
            LEFT JOIN "Executions" AS e ON e."Id" = r."ExecutionId"
            JOIN "Snippets" AS s ON s."Id" = COALESCE(e."SnippetId", r."NoteId")
            JOIN "Conversations" AS c ON c."Id" = s."ConversationId"
            LEFT JOIN "AspNetUsers" AS u ON u."Id" = c."OwnerId"
            WHERE r."Id" = ANY(@keys) AND (@owner::text IS NULL OR c."OwnerId" = @owner::text)
            """);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = (object?)ownerId ?? DBNull.Value });
        command.Parameters.AddWithValue("options", HeadlineOptions);
        command.Parameters.AddWithValue("all", HeadlineOptions + ", HighlightAll=true");
        command.Parameters.AddWithValue("whole", ShownWhole);
        var rows = new Dictionary<long, SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var columns = Enumerable.Range(11, TextColumns.Length).Select(i => reader.IsDBNull(i) ? "" : Readable(reader.GetString(i))).ToList();
            var best = Preference.OrderByDescending(c => columns[c].Count(ch => ch == SearchTerms.MatchStart)).First();
            rows[reader.GetInt64(0)] = new SearchHit(
                reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Enum.Parse<SnippetKind>(reader.GetString(7)), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc),
                HighlightedText.FromMarked(columns[best]), TextColumns[best].ToLowerInvariant());
        }
        return keys.Where(rows.ContainsKey).Select(key => rows[key]).ToList();
    }

    // A short text's brackets taken off, and cc_search_parsable's stand-ins for the characters PostgreSQL's parser
    // would read as markup turned back.
    private static string Readable(string headline)
    {
        if (headline.StartsWith(Bracket + " ", StringComparison.Ordinal) && headline.EndsWith(" " + Bracket, StringComparison.Ordinal))
        {
            headline = headline[2..^2];
        }
        return headline.Replace('\u0001', '<').Replace('\u0002', '>').Replace('\u0003', '&');
    }

    // Never in indexed text (cc_search_clean removes it), so it never matches: ts_headline trims the punctuation at
    // a text's ends, and a word either side keeps it.
    private const char Bracket = '\uE002';

    /// <summary>The tsquery of a search and its filters, as SQL over parameters only.</summary>
    private sealed class Match
    {
        private readonly List<NpgsqlParameter> _parameters = [];

        public Match(SearchCriteria criteria)
        {
            var included = criteria.Terms.Included.Select(Term).ToList();
            var query = "(" + string.Join(" && ", included) + ")";
            if (criteria.Terms.Excluded.Count > 0)
            {
                query += " && !!(" + string.Join(" || ", criteria.Terms.Excluded.Select(Term)) + ")";
            }
            // In brackets: @@ binds tighter than && and !!.
            Query = "(" + query + ")";
            var where = new List<string> { $"r.\"Document\" @@ {Query}" };
            if (criteria.OwnerId is { } owner) where.Add($"r.\"OwnerId\" = {Add(owner)}");
            if (!string.IsNullOrWhiteSpace(criteria.Request.Language)) where.Add($"r.\"Language\" = {Add(criteria.Request.Language.Trim())}");
            if (!string.IsNullOrWhiteSpace(criteria.Request.Status)) where.Add($"r.\"Status\" = {Add(criteria.Request.Status.Trim())}");
            if (criteria.Request.From is { } from) where.Add($"r.\"At\" >= {Add(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))}");
            if (criteria.Request.To is { } to) where.Add($"r.\"At\" < {Add(to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))}");
            Where = string.Join(" AND ", where);
        }

        /// <summary>The tsquery expression.</summary>
        public string Query { get; }

        /// <summary>The WHERE condition over <c>"SearchRows" AS r</c>: the match and the filters.</summary>
        public string Where { get; }

        public NpgsqlCommand Command(NpgsqlConnection connection, string sql)
        {
            var command = new NpgsqlCommand(sql, connection);
            foreach (var parameter in _parameters) command.Parameters.Add(parameter.Clone());
            return command;
        }

        private string Term(SearchTerm term) => $"cc_search_term({Add(term.Text)}, {(term.IsPrefix ? "true" : "false")})";

        private string Add(object value)
        {
            var name = $"p{_parameters.Count}";
            _parameters.Add(value is string text
                ? new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = text }
                : new NpgsqlParameter(name, value));
            return "@" + name;
        }
    }
}
