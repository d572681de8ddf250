using CodeChatter.Core.Chat;

namespace CodeChatter.Data.Entities;

/// <summary>A chat with the code robot: an ordered list of snippets, each with its runs.</summary>
public class Conversation
{
    public long Id { get; set; }
    public string OwnerId { get; set; } = "";
    public ChatUser? Owner { get; set; }
    public string Title { get; set; } = "";
    public string DefaultLanguage { get; set; } = "python";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>How its snippets run; stored as its wire name. Conversations made before sessions existed read <c>fresh</c>.</summary>
    public ConversationMode Mode { get; set; } = ConversationModes.Default;

    /// <summary>The generation of its newest session (0 before its first): the next session is this plus one.</summary>
    public int LastSessionGeneration { get; set; }
    public List<Snippet> Snippets { get; set; } = [];
}
