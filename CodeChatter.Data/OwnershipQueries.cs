using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data;

/// <summary>
/// The one place that says what a person may see. Every page and endpoint that takes an id goes
/// through these, so none can forget the owner check; someone else's id simply finds nothing (404).
/// </summary>
public static class OwnershipQueries
{
    public static IQueryable<Conversation> OwnedBy(this IQueryable<Conversation> conversations, string userId) =>
        conversations.Where(c => c.OwnerId == userId);

    public static IQueryable<Snippet> OwnedBy(this IQueryable<Snippet> snippets, string userId) =>
        snippets.Where(s => s.Conversation!.OwnerId == userId);

    /// <summary>
    /// A run's owner is its conversation's, copied onto the run when it is created (<see cref="OwnerOf"/>),
    /// so that this is one indexed comparison rather than a join through snippets and conversations.
    /// </summary>
    public static IQueryable<Execution> OwnedBy(this IQueryable<Execution> executions, string userId) =>
        executions.Where(e => e.OwnerId == userId);

    /// <summary>Who owns a new run of a snippet in <paramref name="conversation"/>: whoever owns the conversation.</summary>
    public static string OwnerOf(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return conversation.OwnerId;
    }

    /// <summary>
    /// The languages of a person's code snippets, in order. Rather than reading every snippet of theirs,
    /// it walks the distinct languages stored (a few index seeks) and for each looks through the person's
    /// conversations for one snippet in it; CROSS JOIN keeps SQLite on that order, which stays cheap even
    /// when other people have many snippets in a language this person never used.
    /// </summary>
    public static Task<List<string>> LanguagesUsedByAsync(this ChatDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var code = nameof(Core.Chat.SnippetKind.Code);
        // SQLite's CROSS JOIN ... ON keeps it on this order; PostgreSQL has no such form and its planner picks the
        // order itself. The join keyword is the only text that differs; the values stay parameters ({0}, {1}).
        var join = db.Database.IsNpgsql() ? "JOIN" : "CROSS JOIN";
        var sql = $$"""
            WITH RECURSIVE "languages"("Language") AS (
                SELECT MIN("Language") FROM "Snippets"
                UNION ALL
                SELECT (SELECT MIN("s"."Language") FROM "Snippets" AS "s" WHERE "s"."Language" > "languages"."Language")
                FROM "languages" WHERE "languages"."Language" IS NOT NULL)
            SELECT "l"."Language" AS "Value" FROM "languages" AS "l"
            WHERE "l"."Language" IS NOT NULL AND EXISTS (
                SELECT 1 FROM "Conversations" AS "c"
                {{join}} "Snippets" AS "s" ON "s"."ConversationId" = "c"."Id" AND "s"."Language" = "l"."Language"
                WHERE "c"."OwnerId" = {0} AND "s"."Kind" = {1})
            ORDER BY "l"."Language"
            """;
        return db.Database.SqlQueryRaw<string>(sql, userId, code).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The languages a search offers as a filter: a person's own (<see cref="LanguagesUsedByAsync"/>), or, for the
    /// admin's search of everyone's (<paramref name="ownerId"/> null), every language a code snippet was sent in.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SearchLanguagesAsync(this ChatDbContext db, string? ownerId, CancellationToken cancellationToken = default) =>
        ownerId is null
            ? await db.Snippets.Where(s => s.Kind == Core.Chat.SnippetKind.Code).Select(s => s.Language).Distinct().OrderBy(l => l).ToListAsync(cancellationToken)
            : await db.LanguagesUsedByAsync(ownerId, cancellationToken);

    /// <summary>
    /// Gives every run about to be inserted without an owner its conversation's owner, so a run written
    /// by any path (not only <see cref="EfRunStore"/>) is listed for the right person. Called by
    /// <see cref="ChatDbContext"/> before it saves.
    /// </summary>
    internal static async Task SetOwnersOfNewRunsAsync(ChatDbContext db, bool synchronous, CancellationToken cancellationToken)
    {
        foreach (var entry in db.ChangeTracker.Entries<Execution>())
        {
            if (entry.State != EntityState.Added || entry.Entity.OwnerId.Length > 0) continue;
            var run = entry.Entity;
            if (run.Snippet?.Conversation is { } conversation)
            {
                run.OwnerId = OwnerOf(conversation);
                continue;
            }
            var snippetId = run.Snippet?.Id ?? run.SnippetId;
            var owner = db.Snippets.Where(s => s.Id == snippetId).Select(s => s.Conversation!.OwnerId);
            run.OwnerId = (synchronous ? owner.SingleOrDefault() : await owner.SingleOrDefaultAsync(cancellationToken))
                ?? throw new InvalidOperationException($"a run of snippet {snippetId}, which is not stored");
        }
    }

    public static IQueryable<ApiToken> OwnedBy(this IQueryable<ApiToken> tokens, string userId) =>
        tokens.Where(t => t.UserId == userId);

    public static IQueryable<ShareLink> OwnedBy(this IQueryable<ShareLink> links, string userId) =>
        links.Where(l => l.OwnerId == userId);
}
