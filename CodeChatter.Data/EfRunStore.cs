using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Execution;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data;

/// <summary>Keeps snippets and runs in <see cref="ChatDbContext"/>; every lookup goes through <see cref="OwnershipQueries"/>.</summary>
public sealed class EfRunStore(ChatDbContext db, TimeProvider clock) : IRunStore
{
    private const int TitleLength = 60;

    /// <inheritdoc />
    public async Task<StoredMessage?> AddMessageAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = clock.GetUtcNow().UtcDateTime;
        // On SQLite this is BEGIN IMMEDIATE: the write lock is held from here, so two messages sent to one
        // conversation at once cannot both read the same highest Sequence.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Conversation? conversation;
        var sequence = 1;
        if (message.ConversationId is { } conversationId)
        {
            conversation = await db.Conversations.OwnedBy(message.UserId).SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null) return null;
            sequence = 1 + (await db.Snippets.Where(s => s.ConversationId == conversationId).MaxAsync(s => (int?)s.Sequence, cancellationToken) ?? 0);
        }
        else
        {
            conversation = new Conversation
            {
                OwnerId = message.UserId,
                Title = string.IsNullOrWhiteSpace(message.Title) ? TitleFrom(message.Text) : Truncate(message.Title.Trim(), 200),
                DefaultLanguage = message.Kind == SnippetKind.Code ? message.Language : "python",
                Mode = message.Mode ?? ConversationModes.Default,
                CreatedAt = now,
            };
            db.Conversations.Add(conversation);
        }
        conversation.UpdatedAt = now;
        if (message.Kind == SnippetKind.Code) conversation.DefaultLanguage = message.Language;

        var snippet = new Snippet
        {
            Conversation = conversation, Sequence = sequence, Kind = message.Kind, Language = message.Language,
            Code = message.Text, Stdin = message.Stdin, CreatedAt = now,
        };
        db.Snippets.Add(snippet);
        Execution? execution = null;
        if (message.Kind == SnippetKind.Code)
        {
            execution = new Execution
            {
                Snippet = snippet, OwnerId = OwnershipQueries.OwnerOf(conversation), Trigger = message.Trigger, StartedAt = now,
            };
            db.Executions.Add(execution);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredMessage(conversation.Id, snippet.Id, execution?.Id) { Mode = conversation.Mode };
    }

    /// <inheritdoc />
    public async Task<StartedRun?> StartRerunAsync(string userId, long snippetId, ExecutionTrigger trigger, CancellationToken cancellationToken = default)
    {
        var snippet = await db.Snippets.OwnedBy(userId)
            .Include(s => s.Conversation)
            .SingleOrDefaultAsync(s => s.Id == snippetId && s.Kind == SnippetKind.Code, cancellationToken);
        if (snippet is null) return null;
        var previous = await db.Executions
            .Where(e => e.SnippetId == snippetId && e.FinishedAt != null)
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.Status, e.Stdout, e.Stderr, Outputs = e.Outputs.OrderBy(o => o.Sequence).Select(o => new { o.MediaType, o.Sha256, o.FileName }).ToList() })
            .FirstOrDefaultAsync(cancellationToken) is { } found
            ? new RunOutput(found.Status, found.Stdout, found.Stderr)
            {
                Outputs = found.Outputs.Select(o => OutputFingerprint.For(o.MediaType, o.Sha256, o.FileName)).ToList(),
            }
            : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var execution = new Execution
        {
            SnippetId = snippet.Id, OwnerId = OwnershipQueries.OwnerOf(snippet.Conversation!), Trigger = trigger, StartedAt = now,
        };
        db.Executions.Add(execution);
        snippet.Conversation!.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var request = new ExecutionRequest(snippet.Language, snippet.Code) { Stdin = snippet.Stdin };
        return new StartedRun(snippet.ConversationId, snippet.Id, execution.Id, request, previous) { Mode = snippet.Conversation.Mode };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>?> GetCodeSnippetIdsAsync(string userId, long conversationId, CancellationToken cancellationToken = default)
    {
        if (!await db.Conversations.OwnedBy(userId).AnyAsync(c => c.Id == conversationId, cancellationToken)) return null;
        return await db.Snippets
            .Where(s => s.ConversationId == conversationId && s.Kind == SnippetKind.Code)
            .OrderBy(s => s.Sequence)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveOutputSoFarAsync(long executionId, string stdout, string stderr, CancellationToken cancellationToken = default) =>
        db.Executions.Where(e => e.Id == executionId && e.FinishedAt == null).ExecuteUpdateAsync(update => update
            .SetProperty(e => e.Stdout, stdout)
            .SetProperty(e => e.Stderr, stderr), cancellationToken);

    /// <inheritdoc />
    public async Task<int> NextSessionGenerationAsync(long conversationId, CancellationToken cancellationToken = default)
    {
        // One statement that increments and reads back: two sessions starting at once (two languages) can
        // never be given the same number.
        var generations = await db.Database
            .SqlQuery<int>($"""
                UPDATE "Conversations" SET "LastSessionGeneration" = "LastSessionGeneration" + 1
                WHERE "Id" = {conversationId}
                RETURNING "LastSessionGeneration" AS "Value"
                """)
            .ToListAsync(cancellationToken);
        return generations.Count == 1
            ? generations[0]
            : throw new InvalidOperationException($"conversation {conversationId} does not exist");
    }

    /// <inheritdoc />
    public async Task CompleteAsync(long executionId, ExecutionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        // The row and its displayed items in one transaction: a reply is never stored without its plots,
        // and a result stored again (a retry after the database refused it) replaces them rather than adding.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var execution = await db.Executions.SingleAsync(e => e.Id == executionId, cancellationToken);
        execution.Complete(result);
        await db.ExecutionOutputs.Where(o => o.ExecutionId == executionId).ExecuteDeleteAsync(cancellationToken);
        var sequence = 0;
        foreach (var output in result.Outputs)
        {
            db.ExecutionOutputs.Add(new ExecutionOutput
            {
                ExecutionId = executionId, Sequence = ++sequence, MediaType = output.MediaType, Content = output.Data,
                Sha256 = OutputFingerprint.HashOf(output.Data), Size = output.Data.LongLength, StdoutPosition = output.StdoutPosition,
                FileName = StoredFileName(output),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // A name reaches a page, an API answer and a download header: it is made safe here too, whatever
    // produced the result, and only a file keeps one.
    private static string? StoredFileName(RichOutput output) =>
        output.MediaType == RichMediaTypes.File ? FileNames.ForOutput(output.FileName) : null;

    /// <summary>A title from the first non-blank line of a message.</summary>
    public static string TitleFrom(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return line is null ? "Untitled" : Truncate(line, TitleLength);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
