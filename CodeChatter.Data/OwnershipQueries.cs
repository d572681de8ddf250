using CodeChatter.Data.Entities;

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

    public static IQueryable<Execution> OwnedBy(this IQueryable<Execution> executions, string userId) =>
        executions.Where(e => e.Snippet!.Conversation!.OwnerId == userId);

    public static IQueryable<ApiToken> OwnedBy(this IQueryable<ApiToken> tokens, string userId) =>
        tokens.Where(t => t.UserId == userId);
}
