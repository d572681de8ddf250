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
    public List<Snippet> Snippets { get; set; } = [];
}
