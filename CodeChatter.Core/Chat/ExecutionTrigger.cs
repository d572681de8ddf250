namespace CodeChatter.Core.Chat;

/// <summary>Why a run happened.</summary>
public enum ExecutionTrigger
{
    /// <summary>A person sent a new snippet.</summary>
    Submit,
    /// <summary>A person re-ran one snippet.</summary>
    Rerun,
    /// <summary>A person re-ran a whole conversation.</summary>
    ConversationRerun,
    /// <summary>A script sent the snippet through the JSON API.</summary>
    Api,
}

/// <summary>What a message is: code to run, or a Markdown note that is only shown.</summary>
public enum SnippetKind
{
    /// <summary>Code the robot runs.</summary>
    Code,
    /// <summary>Markdown text, shown and never run.</summary>
    Note,
}
