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
}
