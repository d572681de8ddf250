using System.Globalization;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Chat.Attachments;

/// <summary>
/// Keeps a reply's plots, tables, values and files within its person's storage quota
/// (<see cref="QuotaOptions.StorageMiB"/>) before it is stored. Items are kept in order while they fit; from
/// the first one that does not, the rest are left out and the reply says so, so a person sees why their
/// plot is missing rather than an empty reply. The printed text (stdout, stderr) is never touched: it is
/// bounded by the per-stream cap instead, and a reply without it would explain nothing.
/// </summary>
/// <remarks>
/// Two runs of one person finishing at the same moment each see the usage before the other is stored, so
/// together they may pass the quota by at most one reply's items; uploads are checked again against the
/// total, so it does not grow further.
/// </remarks>
public sealed class StorageQuotaGate(IStorageUsage usage, IOptions<QuotaOptions> quotas)
{
    /// <summary>
    /// <paramref name="result"/> with only the items that fit beside what <paramref name="userId"/> already
    /// stores, and <see cref="ExecutionResult.OutputsOmitted"/> saying how many were left out and why; the
    /// same result when all fit (a reply with no items asks nothing of the database).
    /// </summary>
    public async Task<ExecutionResult> ApplyAsync(string userId, ExecutionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outputs.Count == 0) return result;
        var quota = quotas.Value.StorageBytes;
        var room = quota - await usage.UsedBytesAsync(userId, cancellationToken);
        var kept = KeptWithin(result.Outputs, room);
        if (kept == result.Outputs.Count) return result;

        var omitted = result.Outputs.Count - kept;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{omitted} {(omitted == 1 ? "item" : "items")} left out: your storage quota of {AttachmentService.Size(quota)} is used");
        return result with
        {
            Outputs = result.Outputs.Take(kept).ToList(),
            OutputsOmitted = string.IsNullOrEmpty(result.OutputsOmitted) ? reason : $"{result.OutputsOmitted}; {reason}",
        };
    }

    private static int KeptWithin(IReadOnlyList<RichOutput> outputs, long room)
    {
        var kept = 0;
        foreach (var output in outputs)
        {
            if (output.Data.LongLength > room) break;
            room -= output.Data.LongLength;
            kept++;
        }
        return kept;
    }
}
