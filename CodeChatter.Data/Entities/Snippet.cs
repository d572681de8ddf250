using CodeChatter.Core.Chat;

namespace CodeChatter.Data.Entities;

/// <summary>A person's message in a conversation.</summary>
public class Snippet
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public Conversation? Conversation { get; set; }

    /// <summary>Position in the conversation, from 1.</summary>
    public int Sequence { get; set; }

    public SnippetKind Kind { get; set; }
    public string Language { get; set; } = "";
    public string Code { get; set; } = "";
    public string Stdin { get; set; } = "";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public List<Execution> Executions { get; set; } = [];
}
