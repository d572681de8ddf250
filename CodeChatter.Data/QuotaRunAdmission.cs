using System.Globalization;
using CodeChatter.Core.Audit;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Data;

/// <summary>
/// The instance's admission rules, in order: a disabled account runs nothing; a person runs at most their
/// daily quota per UTC day (refused runs do not count); then the run passes the <see cref="IRunGate"/>, which
/// holds each person to their concurrency limit: the machine-wide <see cref="FairRunQueue"/> on one instance,
/// a count in Redis shared by every web instance in a cluster. Every refusal is written to the audit log.
/// </summary>
public sealed class QuotaRunAdmission(
    ChatDbContext db, IRunGate gate, IOptions<QuotaOptions> quotas, IAuditLog audit, TimeProvider time) : IRunAdmission
{
    /// <inheritdoc />
    public async ValueTask<Admission> AdmitAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var midnight = now.Date;
        // One round trip: the person and how many runs they started today. The run being admitted is
        // already stored (in flight), so it is part of the count. Counted on the runs' own owner column,
        // from the (OwnerId, StartedAt) index: a join through snippets and conversations made every run of
        // a person with a long history pay for scanning all of it.
        var person = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.IsDisabled,
                u.DailyRunQuota,
                RunsToday = db.Executions.Count(e => e.OwnerId == userId
                    && e.StartedAt >= midnight && e.Status != RunStatus.Rejected),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (person is null || person.IsDisabled)
        {
            return await RefuseAsync(userId, "This account is disabled.", null, cancellationToken);
        }
        var quota = person.DailyRunQuota ?? quotas.Value.DefaultDailyRuns;
        if (person.RunsToday > quota)
        {
            var tomorrow = midnight.AddDays(1);
            return await RefuseAsync(userId,
                string.Create(CultureInfo.InvariantCulture, $"Daily quota of {quota} runs reached; you can run again at {tomorrow:HH:mm} UTC ({tomorrow:yyyy-MM-dd})."),
                tomorrow - now, cancellationToken);
        }
        try
        {
            return Admission.Granted(await gate.EnterAsync(userId, cancellationToken));
        }
        catch (RunRefusedException refused)
        {
            return await RefuseAsync(userId, refused.Message, refused.RetryAfter, cancellationToken);
        }
    }

    private async Task<Admission> RefuseAsync(string userId, string reason, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(new AuditRecord(AuditActions.RunRefused, userId, userId, reason), cancellationToken);
        return Admission.Refused(reason, retryAfter);
    }
}
