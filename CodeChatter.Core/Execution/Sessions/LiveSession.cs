namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// One session as the registry keeps it: its key, its box once started, the gate its messages pass
/// one at a time, and what the lists show. Mutable fields are changed under the registry's lock
/// (<see cref="Pending"/>, <see cref="IsEnded"/>) or by the one message holding the gate.
/// </summary>
internal sealed class LiveSession(SessionKey key, DateTimeOffset now)
{
    public Guid Id { get; } = Guid.NewGuid();

    public SessionKey Key { get; } = key;

    /// <summary>Messages run one at a time, in the order they arrived.</summary>
    public FifoGate Gate { get; } = new();

    /// <summary>The box; null until the first message has started it.</summary>
    public SessionBox? Box { get; set; }

    public int Generation { get; set; }

    public int MessagesRun { get; set; }

    public DateTimeOffset StartedAt { get; set; } = now;

    public DateTimeOffset LastActiveAt { get; set; } = now;

    public bool IsBusy { get; set; }

    /// <summary>Messages that joined it and have not left yet (running or waiting); only a session with none is idle.</summary>
    public int Pending { get; set; }

    /// <summary>Removed from the registry: no new message joins it; the ones waiting start a new one.</summary>
    public bool IsEnded { get; set; }

    public LiveSessionInfo Describe() => new(
        Id, Key.UserId, Key.ConversationId, Key.LanguageId, Generation, MessagesRun,
        Box?.MemoryBytesNow(), StartedAt, LastActiveAt, IsBusy);
}
