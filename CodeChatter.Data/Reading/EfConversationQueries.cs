using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Data.Entities;
using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Data.Reading;

/// <summary>Reads conversations from <see cref="ChatDbContext"/>; a person's go through <see cref="OwnershipQueries"/>.</summary>
public sealed class EfConversationQueries(ChatDbContext db, IOptions<ExecutionOptions> options) : IConversationQueries
{
    private readonly int _shownOutputBytes = options.Value.MaxOutputBytesPerStream;

    /// <inheritdoc />
    public Task<ConversationView?> FindOwnedAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        FindAsync(db.Conversations.OwnedBy(userId), conversationId, cancellationToken);

    /// <inheritdoc />
    public Task<ConversationView?> FindAnyoneAsync(long conversationId, CancellationToken cancellationToken = default) =>
        FindAsync(db.Conversations, conversationId, cancellationToken);

    /// <inheritdoc />
    public async Task<MessageView?> FindMessageAsync(string userId, long snippetId, CancellationToken cancellationToken = default)
    {
        var snippet = await db.Snippets.OwnedBy(userId).AsNoTracking()
            .Include(s => s.Executions)
            .SingleOrDefaultAsync(s => s.Id == snippetId, cancellationToken);
        if (snippet is null) return null;
        var outputs = await RunViews.OutputItemsAsync(db.ExecutionOutputs.Where(o => o.Execution!.SnippetId == snippetId), cancellationToken);
        return MessageOf(snippet, outputs);
    }

    /// <inheritdoc />
    public Task<ConversationSummary?> FindSummaryAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        Summaries(db.Conversations.OwnedBy(userId).Where(c => c.Id == conversationId)).SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ConversationSessionState?> FindSessionStateAsync(string userId, long conversationId, CancellationToken cancellationToken = default) =>
        db.Conversations.OwnedBy(userId).Where(c => c.Id == conversationId)
            .Select(c => new ConversationSessionState(
                c.Id, c.Mode,
                c.Snippets.SelectMany(s => s.Executions).Where(e => e.SessionGeneration != null)
                    .OrderByDescending(e => e.Id).Select(e => e.SessionGeneration).FirstOrDefault()))
            .SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<long, ConversationLabel>> FindLabelsAsync(
        IReadOnlyCollection<long> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        if (conversationIds.Count == 0) return new Dictionary<long, ConversationLabel>();
        var labels = await db.Conversations.Where(c => conversationIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.OwnerId, c.Owner!.Email })
            .ToListAsync(cancellationToken);
        return labels.ToDictionary(c => c.Id, c => new ConversationLabel(c.Id, c.Title, c.OwnerId, c.Email ?? c.OwnerId));
    }

    /// <inheritdoc />
    public async Task<PagedList<ConversationSummary>> ListAsync(string userId, int pageNumber, int pageSize, CancellationToken cancellationToken = default)
    {
        var mine = db.Conversations.OwnedBy(userId);
        var total = await mine.CountAsync(cancellationToken);
        var page = PagedList<ConversationSummary>.ClampPage(pageNumber, pageSize, total);
        var items = await Summaries(NewestFirst(mine).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new PagedList<ConversationSummary>(items, page, pageSize, total);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConversationSummary>> ListAllAsync(string userId, CancellationToken cancellationToken = default) =>
        await Summaries(NewestFirst(db.Conversations.OwnedBy(userId))).ToListAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<RecentConversations> ListRecentAsync(string userId, string? titleFilter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var matching = db.Conversations.OwnedBy(userId);
        if (!string.IsNullOrWhiteSpace(titleFilter))
        {
            // Case is ignored: SQLite's LIKE does so (for ASCII letters, as its lower() would too); PostgreSQL's LIKE
            // does not, so it is ILIKE there. The title's own % and _ are escaped.
            var pattern = "%" + LikePattern.Escape(titleFilter.Trim()) + "%";
            matching = db.Database.IsNpgsql()
                ? matching.Where(c => EF.Functions.ILike(c.Title, pattern, LikePattern.EscapeCharacter))
                : matching.Where(c => EF.Functions.Like(c.Title, pattern, LikePattern.EscapeCharacter));
        }
        var total = await matching.CountAsync(cancellationToken);
        var items = await NewestFirst(matching).Take(limit)
            .Select(c => new RecentConversation(c.Id, c.Title, c.Snippets.Count))
            .ToListAsync(cancellationToken);
        return new RecentConversations(items, total);
    }

    private static IQueryable<Conversation> NewestFirst(IQueryable<Conversation> conversations) =>
        conversations.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id);

    private static IQueryable<ConversationSummary> Summaries(IQueryable<Conversation> conversations) =>
        conversations.Select(c => new ConversationSummary(
            c.Id, c.Title, c.DefaultLanguage, c.CreatedAt, c.UpdatedAt,
            c.Snippets.Count,
            c.Snippets.SelectMany(s => s.Executions).Count(),
            c.Snippets.SelectMany(s => s.Executions).OrderByDescending(e => e.Id)
                .Select(e => new LastRun(e.FinishedAt == null ? null : e.Status, e.StartedAt)).FirstOrDefault())
        {
            Mode = c.Mode,
        });

    private async Task<ConversationView?> FindAsync(IQueryable<Conversation> conversations, long conversationId, CancellationToken cancellationToken)
    {
        var conversation = await conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new { c.Id, c.Title, c.OwnerId, OwnerEmail = c.Owner!.Email, c.DefaultLanguage, c.CreatedAt, c.UpdatedAt, c.Mode })
            .SingleOrDefaultAsync(cancellationToken);
        if (conversation is null) return null;
        var snippets = await db.Snippets.AsNoTracking()
            .Where(s => s.ConversationId == conversationId)
            .Include(s => s.Executions)
            .OrderBy(s => s.Sequence)
            .ToListAsync(cancellationToken);
        var outputs = await RunViews.OutputItemsAsync(
            db.ExecutionOutputs.Where(o => o.Execution!.Snippet!.ConversationId == conversationId), cancellationToken);
        return new ConversationView(
            conversation.Id, conversation.Title, conversation.OwnerId, conversation.OwnerEmail ?? conversation.OwnerId,
            conversation.DefaultLanguage, conversation.CreatedAt, conversation.UpdatedAt, snippets.Select(s => MessageOf(s, outputs)).ToList())
        {
            Mode = conversation.Mode,
        };
    }

    private MessageView MessageOf(Snippet s, Dictionary<long, IReadOnlyList<OutputItemView>> outputs) => new(
        s.Id, s.ConversationId, s.Sequence, s.Kind, s.Language, s.Code, s.Stdin, s.CreatedAt,
        MessageView.RepliesOf(s.Executions.Select(e => RunViews.From(e, s.ConversationId, s.Language, _shownOutputBytes, outputs.GetValueOrDefault(e.Id)))));
}
