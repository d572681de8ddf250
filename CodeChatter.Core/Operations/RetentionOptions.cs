using System.ComponentModel.DataAnnotations;

namespace CodeChatter.Core.Operations;

/// <summary>How long stored runs are kept (the <c>Retention</c> section). Off unless set.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Retention";

    /// <summary>
    /// Runs older than this many days are removed once a day, with their output; a conversation with no
    /// message or run since then goes whole. Null (the default) keeps everything until an admin removes it.
    /// </summary>
    [Range(1, 36500)]
    public int? KeepRunsDays { get; set; }
}
