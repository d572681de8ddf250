using System.ComponentModel.DataAnnotations;

namespace CodeChatter.Core.Chat;

/// <summary>Per-person limits on how much may be run, bound from the <c>Quotas</c> configuration section.</summary>
public sealed class QuotaOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Quotas";

    /// <summary>
    /// Runs a person may start per UTC day unless an admin set their own quota. Refused runs do not count.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DefaultDailyRuns { get; set; } = 500;

    /// <summary>
    /// MiB of stored plots, tables, files and attachments a person may keep; past it uploads are refused and
    /// a reply's rich output and files are left out, each with a clear reason.
    /// </summary>
    [Range(0, 1_000_000)]
    public int StorageMiB { get; set; } = 100;

    /// <summary><see cref="StorageMiB"/> in bytes.</summary>
    public long StorageBytes => StorageMiB * 1024L * 1024L;
}
