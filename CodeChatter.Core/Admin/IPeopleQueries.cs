namespace CodeChatter.Core.Admin;

/// <summary>One person in the admin's list of people, with their usage.</summary>
/// <param name="Id">The person's id.</param>
/// <param name="Email">Their e-mail (their user name or id if they have none).</param>
/// <param name="IsAdmin">Whether they hold the admin role.</param>
/// <param name="IsDisabled">Whether an admin disabled them.</param>
/// <param name="LockoutEnd">Until when failed sign-ins lock them out, if they do.</param>
/// <param name="DailyRunQuota">Their own daily quota, or null for the instance default.</param>
/// <param name="Runs">All their runs.</param>
/// <param name="CpuTimeMs">CPU time of all their runs, in milliseconds.</param>
/// <param name="LastActivity">When their latest run started (UTC), or null.</param>
/// <param name="CreatedAt">When the account was made (UTC).</param>
public sealed record PersonRow(
    string Id, string Email, bool IsAdmin, bool IsDisabled, DateTimeOffset? LockoutEnd, int? DailyRunQuota,
    int Runs, long CpuTimeMs, DateTime? LastActivity, DateTime CreatedAt)
{
    /// <summary>Bytes of the plots, tables, values and files their runs displayed or left behind, as stored.</summary>
    public long StoredOutputBytes { get; init; }

    /// <summary>Bytes of the files they attached to their conversations.</summary>
    public long AttachmentBytes { get; init; }

    /// <summary>
    /// Everything they keep stored: <see cref="StoredOutputBytes"/> and <see cref="AttachmentBytes"/>, the
    /// figure their storage quota (<c>Quotas:StorageMiB</c>) limits.
    /// </summary>
    public long StoredBytes => StoredOutputBytes + AttachmentBytes;

    /// <summary><c>disabled</c>, <c>locked out</c> or <c>active</c>, as of <paramref name="now"/>.</summary>
    public string State(DateTimeOffset now) => IsDisabled ? "disabled" : LockoutEnd > now ? "locked out" : "active";
}

/// <summary>One person as the admin's details page shows them.</summary>
/// <param name="Id">The person's id.</param>
/// <param name="Email">Their e-mail (their user name or id if they have none).</param>
/// <param name="IsAdmin">Whether they hold the admin role.</param>
/// <param name="IsDisabled">Whether an admin disabled them.</param>
/// <param name="DailyRunQuota">Their own daily quota, or null for the instance default.</param>
/// <param name="Runs">All their runs.</param>
/// <param name="CreatedAt">When the account was made (UTC).</param>
public sealed record PersonDetails(string Id, string Email, bool IsAdmin, bool IsDisabled, int? DailyRunQuota, int Runs, DateTime CreatedAt)
{
    /// <summary>
    /// Bytes they keep stored (run outputs, output files and attachments): the figure their storage quota
    /// (<c>Quotas:StorageMiB</c>) limits.
    /// </summary>
    public long StoredBytes { get; init; }
}

/// <summary>Everyone with an account, for the admin.</summary>
public interface IPeopleQueries
{
    /// <summary>How many people's e-mail contains <paramref name="search"/> (everyone when it is blank).</summary>
    Task<int> CountAsync(string? search, CancellationToken cancellationToken = default);

    /// <summary>One page of the people <see cref="CountAsync"/> counts, by e-mail.</summary>
    Task<IReadOnlyList<PersonRow>> ListAsync(string? search, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>One person, or null when there is no such account.</summary>
    Task<PersonDetails?> FindAsync(string id, CancellationToken cancellationToken = default);
}
