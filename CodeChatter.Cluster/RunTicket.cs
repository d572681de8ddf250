namespace CodeChatter.Cluster;

/// <summary>
/// One run waiting for a runner: which execution row it fills, whose it is, and what to run.
/// </summary>
/// <param name="ExecutionId">The execution row the runner's result is stored into.</param>
/// <param name="OwnerId">The person the run belongs to (for their limits and for the reaper's report).</param>
/// <param name="Payload">What to run, opaque to the queue (JSON decided by the caller).</param>
public sealed record RunTicket(long ExecutionId, string OwnerId, string Payload);

/// <summary>
/// A ticket as it sits in a run stream: the stream and entry id are what acknowledging it needs.
/// </summary>
/// <param name="Stream">The stream key the entry is in (<c>cc:runs</c> or <c>cc:runs:{runnerId}</c>).</param>
/// <param name="EntryId">The stream entry id Redis gave it.</param>
/// <param name="Ticket">The run.</param>
public sealed record RunQueueEntry(string Stream, string EntryId, RunTicket Ticket);
