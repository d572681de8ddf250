using System.ComponentModel.DataAnnotations;

namespace CodeChatter.Core.Chat.Attachments;

/// <summary>Limits on the files a person attaches to a conversation (<c>Attachments</c> section).</summary>
public sealed class AttachmentOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Attachments";

    /// <summary>Largest file that may be attached.</summary>
    [Range(1, 256 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Most bytes of attachments one conversation may hold.</summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxBytesPerConversation { get; set; } = 20 * 1024 * 1024;

    /// <summary>Most files one conversation may hold.</summary>
    [Range(1, 1000)]
    public int MaxFilesPerConversation { get; set; } = 20;
}
