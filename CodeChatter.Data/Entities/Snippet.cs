namespace CodeChatter.Data.Entities;

/// <summary>What a message is: code to run, or a Markdown note that is only shown.</summary>
public enum SnippetKind
{
    Code,
    Note,
}

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
