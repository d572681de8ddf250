namespace CodeChatter.Core.Chat.Reading;

/// <summary>
/// Reads conversations. Every method that takes a person's id finds only that person's conversations:
/// someone else's id finds nothing, as an id that does not exist.
/// </summary>
public interface IConversationQueries
{
    /// <summary>One of that person's conversations with every message and reply; null when not theirs.</summary>
    Task<ConversationView?> FindOwnedAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Anyone's conversation, for the admin's read-only view; null when there is none.</summary>
    Task<ConversationView?> FindAnyoneAsync(long conversationId, CancellationToken cancellationToken = default);

    /// <summary>One message of that person's with its replies; null when not theirs.</summary>
    Task<MessageView?> FindMessageAsync(string userId, long snippetId, CancellationToken cancellationToken = default);

    /// <summary>One of that person's conversations without its messages; null when not theirs.</summary>
    Task<ConversationSummary?> FindSummaryAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>One of that person's conversations' mode and newest session reply; null when not theirs.</summary>
    Task<ConversationSessionState?> FindSessionStateAsync(string userId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The titles and owners' e-mail addresses of those conversations (anyone's), by id, for the admin's list
    /// of live sessions; ids with no conversation are left out.
    /// </summary>
    Task<IReadOnlyDictionary<long, ConversationLabel>> FindLabelsAsync(IReadOnlyCollection<long> conversationIds, CancellationToken cancellationToken = default);

    /// <summary>A page of that person's conversations, most recently active first.</summary>
    Task<PagedList<ConversationSummary>> ListAsync(string userId, int pageNumber, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>Every conversation of that person's, most recently active first.</summary>
    Task<IReadOnlyList<ConversationSummary>> ListAllAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// That person's <paramref name="limit"/> most recently active conversations whose title contains
    /// <paramref name="titleFilter"/> (ignoring case; every conversation when it is blank), and how many match in all.
    /// </summary>
    Task<RecentConversations> ListRecentAsync(string userId, string? titleFilter, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads runs. Every method that takes a person's id finds only that person's runs.
/// </summary>
public interface IRunQueries
{
    /// <summary>One run of that person's; null when not theirs.</summary>
    Task<RunView?> FindAsync(string userId, long executionId, CancellationToken cancellationToken = default);

    /// <summary>Those of the runs that are that person's, in the order asked.</summary>
    Task<IReadOnlyList<RunView>> FindManyAsync(string userId, IReadOnlyList<long> executionIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Everything stored of one stream of a run of that person's in that conversation (the views show only the
    /// first <c>Execution:MaxOutputBytesPerStream</c> bytes); null when not theirs.
    /// </summary>
    Task<string?> FindWholeOutputAsync(
        string userId, long conversationId, long executionId, Execution.OutputStream stream, CancellationToken cancellationToken = default);

    /// <summary>
    /// The bytes of one displayed item of a run of that person's, with where it belongs (so a caller can check
    /// the conversation or run in its address); null when not theirs.
    /// </summary>
    Task<OutputContent?> FindOutputAsync(string userId, long outputId, CancellationToken cancellationToken = default);

    /// <summary>Whether that person owns the run and it belongs to that conversation.</summary>
    Task<bool> IsOwnedAsync(string userId, long conversationId, long executionId, CancellationToken cancellationToken = default);

    /// <summary>A page of that person's runs matching the filter, newest first.</summary>
    Task<RunList> ListOwnedAsync(string userId, RunFilter filter, int pageNumber, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>A page of every person's runs matching the filter, newest first: the admin's list.</summary>
    Task<RunList> ListEveryonesAsync(RunFilter filter, int pageNumber, int pageSize, CancellationToken cancellationToken = default);
}

/// <summary>What names a conversation in a list of anyone's: its title and its owner.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Title">Its title.</param>
/// <param name="OwnerId">Whose it is.</param>
/// <param name="OwnerEmail">The owner's e-mail address (their id when they have none).</param>
public sealed record ConversationLabel(long ConversationId, string Title, string OwnerId, string OwnerEmail);
