namespace CodeChatter.Core.Chat;

/// <summary>How a conversation's code snippets are run.</summary>
public enum ConversationMode
{
    /// <summary>Each message in a fresh sandbox of its own that starts from nothing (the first version's way).</summary>
    Fresh,

    /// <summary>
    /// A conversation's snippets of one language run one after another in one long-lived sandboxed
    /// interpreter, so names, imports and files survive between messages, as in Jupyter. Languages
    /// without a session driver (C) still run fresh per message.
    /// </summary>
    Session,
}

/// <summary>The one spelling of <see cref="ConversationMode"/> in the database, the API, forms and pages.</summary>
public static class ConversationModes
{
    /// <summary>The mode of a conversation started without saying which.</summary>
    public const ConversationMode Default = ConversationMode.Session;

    /// <summary><c>fresh</c> or <c>session</c>.</summary>
    public static string ToWire(this ConversationMode mode) => mode switch
    {
        ConversationMode.Fresh => "fresh",
        ConversationMode.Session => "session",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Reads <c>fresh</c> or <c>session</c> (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out ConversationMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "fresh":
                mode = ConversationMode.Fresh;
                return true;
            case "session":
                mode = ConversationMode.Session;
                return true;
            default:
                mode = Default;
                return false;
        }
    }
}
