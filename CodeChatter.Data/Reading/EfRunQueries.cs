using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Data.Entities;
using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Data.Reading;

/// <summary>Reads runs from <see cref="ChatDbContext"/>; a person's go through <see cref="OwnershipQueries"/>.</summary>
public sealed class EfRunQueries(ChatDbContext db, IOptions<ExecutionOptions> options) : IRunQueries
{
    private readonly int _shownOutputBytes = options.Value.MaxOutputBytesPerStream;

    private const int CodeExcerptLength = 200;

    /// <inheritdoc />
    public async Task<RunView?> FindAsync(string userId, long executionId, CancellationToken cancellationToken = default) =>
        (await FindManyAsync(userId, [executionId], cancellationToken)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunView>> FindManyAsync(string userId, IReadOnlyList<long> executionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        var found = await db.Executions.OwnedBy(userId).AsNoTracking()
            .Where(e => executionIds.Contains(e.Id))
            .Select(e => new { Execution = e, e.Snippet!.ConversationId, e.Snippet.Language })
            .ToDictionaryAsync(f => f.Execution.Id, cancellationToken);
        var foundIds = found.Keys.ToList();
        var outputs = await RunViews.OutputItemsAsync(db.ExecutionOutputs.Where(o => foundIds.Contains(o.ExecutionId)), cancellationToken);
        return executionIds.Where(found.ContainsKey)
            .Select(id => RunViews.From(found[id].Execution, found[id].ConversationId, found[id].Language, _shownOutputBytes, outputs.GetValueOrDefault(id)))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<string?> FindWholeOutputAsync(
        string userId, long conversationId, long executionId, OutputStream stream, CancellationToken cancellationToken = default)
    {
        var run = db.Executions.OwnedBy(userId).AsNoTracking()
            .Where(e => e.Id == executionId && e.Snippet!.ConversationId == conversationId);
        return stream == OutputStream.Stdout
            ? await run.Select(e => e.Stdout).SingleOrDefaultAsync(cancellationToken)
            : await run.Select(e => e.Stderr).SingleOrDefaultAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<OutputContent?> FindOutputAsync(string userId, long outputId, CancellationToken cancellationToken = default) =>
        db.ExecutionOutputs.AsNoTracking()
            .Where(o => o.Id == outputId && db.Executions.OwnedBy(userId).Any(e => e.Id == o.ExecutionId))
            .Select(o => new OutputContent(o.Id, o.Execution!.Snippet!.ConversationId, o.ExecutionId, o.MediaType, o.Content) { FileName = o.FileName })
            .SingleOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsOwnedAsync(string userId, long conversationId, long executionId, CancellationToken cancellationToken = default) =>
        db.Executions.OwnedBy(userId).AnyAsync(e => e.Id == executionId && e.Snippet!.ConversationId == conversationId, cancellationToken);

    /// <inheritdoc />
    public async Task<RunList> ListOwnedAsync(string userId, RunFilter filter, int pageNumber, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runs = Filtered(db.Executions.OwnedBy(userId), filter);
        var total = await runs.CountAsync(cancellationToken);
        var page = PagedList<RunRow>.ClampPage(pageNumber, pageSize, total);
        // Counted and paged on the (OwnerId, StartedAt) index; only the page's rows are then joined to
        // their snippets and conversations.
        var pageIds = runs
            .OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => e.Id);
        var rows = await Rows(db.Executions.Where(e => pageIds.Contains(e.Id)).OrderByDescending(e => e.StartedAt).ThenByDescending(e => e.Id))
            .ToListAsync(cancellationToken);
        var languages = await db.LanguagesUsedByAsync(userId, cancellationToken);
        return new RunList(new PagedList<RunRow>(rows, page, pageSize, total), languages);
    }

    /// <inheritdoc />
    public async Task<RunList> ListEveryonesAsync(RunFilter filter, int pageNumber, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runs = Filtered(db.Executions.AsNoTracking(), filter);
        var total = await runs.CountAsync(cancellationToken);
        var page = PagedList<RunRow>.ClampPage(pageNumber, pageSize, total);
        var rows = await Rows(runs.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        var languages = await db.Snippets.Where(s => s.Kind == SnippetKind.Code)
            .Select(s => s.Language).Distinct().OrderBy(l => l).ToListAsync(cancellationToken);
        return new RunList(new PagedList<RunRow>(rows, page, pageSize, total), languages);
    }

    private static IQueryable<Execution> Filtered(IQueryable<Execution> runs, RunFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.OwnerEmailContains))
        {
            var person = filter.OwnerEmailContains.Trim().ToUpperInvariant();
            runs = runs.Where(e => e.Snippet!.Conversation!.Owner!.NormalizedEmail!.Contains(person));
        }
        runs = runs.Matching(filter.Status, filter.Language, filter.From, filter.To);
        if (!string.IsNullOrWhiteSpace(filter.CodeContains))
        {
            runs = runs.Where(e => e.Snippet!.Code.Contains(filter.CodeContains));
        }
        return runs;
    }

    private static IQueryable<RunRow> Rows(IQueryable<Execution> runs) =>
        runs.Select(e => new RunRow(
            e.Id, e.Snippet!.ConversationId, e.Snippet.Conversation!.Title, e.Snippet.Sequence,
            e.Snippet.Conversation.OwnerId, e.Snippet.Conversation.Owner!.Email ?? e.Snippet.Conversation.OwnerId,
            e.Snippet.Language, e.Snippet.Code.Substring(0, CodeExcerptLength), e.FinishedAt == null ? null : e.Status,
            e.StartedAt, e.WallTimeMs, e.CpuTimeMs, e.Detail)
        {
            DisplayedItems = e.Outputs.Count(o => o.MediaType != RichMediaTypes.File),
            Files = e.Outputs.Count(o => o.MediaType == RichMediaTypes.File),
        });
}
