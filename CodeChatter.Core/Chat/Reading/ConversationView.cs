namespace CodeChatter.Core.Chat.Reading;

/// <summary>A conversation with every message and reply, as the chat page and the admin's read-only view show it.</summary>
/// <param name="Id">The conversation.</param>
/// <param name="Title">Its title.</param>
/// <param name="OwnerId">Whose it is.</param>
/// <param name="OwnerEmail">The owner's e-mail address (their id when they have none).</param>
/// <param name="DefaultLanguage">The language the compose box starts with.</param>
/// <param name="CreatedAt">When it was started (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Messages">Its messages, in order.</param>
public sealed record ConversationView(
    long Id, string Title, string OwnerId, string OwnerEmail, string DefaultLanguage, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<MessageView> Messages)
{
    /// <summary>How its snippets run: in a live session, or each in a fresh sandbox.</summary>
    public ConversationMode Mode { get; init; } = ConversationMode.Fresh;

    /// <summary>The session generation of its newest reply that ran in a session; null when none did.</summary>
    public int? LatestSessionGeneration => Messages
        .SelectMany(m => m.Replies)
        .Select(r => r.Run)
        .Where(r => r.SessionGeneration is not null)
        .OrderByDescending(r => r.Id)
        .FirstOrDefault()?.SessionGeneration;
}

/// <summary>A person's message with the robot's replies, newest first.</summary>
/// <param name="SnippetId">The message (snippet).</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="Sequence">Its position in the conversation, from 1.</param>
/// <param name="Kind">Code or a note.</param>
/// <param name="Language">The language id of code (<c>markdown</c> for a note).</param>
/// <param name="Code">The code or the Markdown text.</param>
/// <param name="Stdin">Standard input of code.</param>
/// <param name="CreatedAt">When it was sent (UTC).</param>
/// <param name="Replies">Every run of it, newest first, each compared with the finished run before it.</param>
public sealed record MessageView(
    long SnippetId, long ConversationId, int Sequence, SnippetKind Kind, string Language, string Code, string Stdin,
    DateTime CreatedAt, IReadOnlyList<ReplyView> Replies)
{
    /// <summary>The newest reply, or null for a note or a snippet never run.</summary>
    public ReplyView? Latest => Replies.Count > 0 ? Replies[0] : null;

    /// <summary>The replies behind the newest, newest first.</summary>
    public IEnumerable<ReplyView> Older => Replies.Skip(1);

    /// <summary>Builds the replies from a snippet's runs in any order, comparing each re-run with the finished run before it.</summary>
    public static IReadOnlyList<ReplyView> RepliesOf(IEnumerable<RunView> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var newestFirst = runs.OrderByDescending(r => r.Id).ToList();
        return newestFirst.Select((run, index) => new ReplyView(
            run, RerunComparison.Between(run, newestFirst.Skip(index + 1).FirstOrDefault(r => !r.IsRunning)))).ToList();
    }
}

/// <summary>A robot reply and, for a re-run, how it compares with the run before it.</summary>
/// <param name="Run">The run.</param>
/// <param name="Comparison">Same or changed since the run before; null when not a finished re-run.</param>
public sealed record ReplyView(RunView Run, RerunComparison? Comparison);

/// <summary>A conversation in a list.</summary>
/// <param name="Id">The conversation.</param>
/// <param name="Title">Its title.</param>
/// <param name="DefaultLanguage">The language the compose box starts with.</param>
/// <param name="CreatedAt">When it was started (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Messages">How many messages it has.</param>
/// <param name="Runs">How many runs its messages have.</param>
/// <param name="LastRun">Its newest run's state; null when nothing ran.</param>
public sealed record ConversationSummary(
    long Id, string Title, string DefaultLanguage, DateTime CreatedAt, DateTime UpdatedAt, int Messages, int Runs, LastRun? LastRun)
{
    /// <summary>How its snippets run: in a live session, or each in a fresh sandbox.</summary>
    public ConversationMode Mode { get; init; } = ConversationMode.Fresh;
}

/// <summary>
/// The most recently active of a person's conversations that match a title filter, as the chat page's side
/// list shows them: a person who runs snippets through the API has thousands, so a list can't hold them all.
/// </summary>
/// <param name="Items">The most recently active first, at most as many as were asked for.</param>
/// <param name="Total">How many match in all: more than <paramref name="Items"/> holds when some were left out.</param>
public sealed record RecentConversations(IReadOnlyList<RecentConversation> Items, int Total)
{
    /// <summary>Whether some matching conversations were left out.</summary>
    public bool HasMore => Total > Items.Count;
}

/// <summary>
/// A conversation in the side list: only what it shows. (A <see cref="ConversationSummary"/>'s newest run costs
/// a window over every stored run in SQLite, which took most of the chat page's time for a person with many runs.)
/// </summary>
/// <param name="Id">The conversation.</param>
/// <param name="Title">Its title.</param>
/// <param name="Messages">How many messages it has.</param>
public sealed record RecentConversation(long Id, string Title, int Messages);

/// <summary>Where a conversation stands with sessions, for the chat page's session panel.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Mode">How its snippets run.</param>
/// <param name="LatestReplyGeneration">The session generation of its newest reply that ran in a session; null when none did.</param>
public sealed record ConversationSessionState(long ConversationId, ConversationMode Mode, int? LatestReplyGeneration);

/// <summary>How a conversation's newest run stands.</summary>
/// <param name="Status">How it ended; null while it is in flight.</param>
/// <param name="StartedAt">When it started (UTC).</param>
public sealed record LastRun(Execution.RunStatus? Status, DateTime StartedAt);
