namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// Which sessions are live, by key, and the caps on them: at most <c>perPerson</c> per person and
/// <c>machineWide</c> in all. A key maps to one session at a time and a session never changes key.
/// </summary>
internal sealed class SessionRegistry(int perPerson, int machineWide)
{
    private readonly object _lock = new();
    private readonly Dictionary<SessionKey, LiveSession> _live = [];

    /// <summary>What joining a session gave.</summary>
    /// <param name="Session">The session the message joined (null when full).</param>
    /// <param name="Evicted">A session of the same person ended to make room, for the caller to shut down.</param>
    public sealed record Joined(LiveSession? Session, LiveSession? Evicted);

    /// <summary>
    /// Joins the live session of <paramref name="key"/>, or registers a new one (not started yet) when
    /// none is live. When the caps are reached, that person's least recently used idle session is
    /// ended to make room; when they have none, nothing is joined.
    /// </summary>
    public Joined Join(SessionKey key, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_live.TryGetValue(key, out var live))
            {
                live.Pending++;
                return new(live, null);
            }
            LiveSession? evicted = null;
            var mine = _live.Values.Where(session => session.Key.UserId == key.UserId).ToArray();
            if (mine.Length >= perPerson || _live.Count >= machineWide)
            {
                evicted = mine.Where(session => session.Pending == 0).MinBy(session => session.LastActiveAt);
                if (evicted is null) return new(null, null);
                RemoveLocked(evicted);
            }
            var session = new LiveSession(key, now) { Pending = 1 };
            _live[key] = session;
            return new(session, evicted);
        }
    }

    /// <summary>A message leaves the session it joined (it ran, gave up, or found it ended).</summary>
    public void Leave(LiveSession session)
    {
        lock (_lock) session.Pending--;
    }

    /// <summary>Removes <paramref name="session"/> if it is still live; true when this call ended it.</summary>
    public bool Remove(LiveSession session)
    {
        lock (_lock) return RemoveLocked(session);
    }

    /// <summary>Removes and returns the live sessions <paramref name="match"/> selects.</summary>
    public IReadOnlyList<LiveSession> RemoveWhere(Func<LiveSession, bool> match)
    {
        lock (_lock)
        {
            var removed = _live.Values.Where(match).ToArray();
            foreach (var session in removed) RemoveLocked(session);
            return removed;
        }
    }

    /// <summary>Removes and returns the sessions no message has used since <paramref name="cutoff"/>.</summary>
    public IReadOnlyList<LiveSession> RemoveIdleSince(DateTimeOffset cutoff) =>
        RemoveWhere(session => session.Pending == 0 && session.LastActiveAt <= cutoff);

    /// <summary>The live sessions now.</summary>
    public IReadOnlyList<LiveSession> Snapshot()
    {
        lock (_lock) return _live.Values.ToArray();
    }

    private bool RemoveLocked(LiveSession session)
    {
        if (session.IsEnded) return false;
        session.IsEnded = true;
        if (_live.TryGetValue(session.Key, out var current) && ReferenceEquals(current, session)) _live.Remove(session.Key);
        return true;
    }
}
