namespace CodeChatter.Core.Export;

/// <summary>The shapes a conversation can leave in.</summary>
public enum ExportFormat
{
    /// <summary>A Jupyter notebook (<c>.ipynb</c>, nbformat 4) with each snippet's latest outputs.</summary>
    Notebook,

    /// <summary>A script in the conversation's language with cell markers (<c>.py</c>, <c>.js</c>, <c>.sh</c>, <c>.c</c>).</summary>
    Script,

    /// <summary>A Markdown document: notes as they are, code and output in fenced blocks.</summary>
    Markdown,
}

/// <summary>The names a format goes by in addresses and the API's <c>format</c> parameter.</summary>
public static class ExportFormats
{
    /// <summary>
    /// Reads <c>ipynb</c>, <c>md</c>, or <c>script</c> and the script extensions (<c>py</c>, <c>js</c>,
    /// <c>sh</c>, <c>c</c>): a script always comes in the conversation's own language, so every extension
    /// asks for the same thing and a caller never has to know the language first.
    /// </summary>
    public static bool TryParse(string? name, out ExportFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "ipynb" or "notebook":
                format = ExportFormat.Notebook;
                return true;
            case "md" or "markdown":
                format = ExportFormat.Markdown;
                return true;
            case "script" or "py" or "js" or "sh" or "c":
                format = ExportFormat.Script;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The name addresses use for a format.</summary>
    public static string ToWire(this ExportFormat format) => format switch
    {
        ExportFormat.Notebook => "ipynb",
        ExportFormat.Markdown => "md",
        _ => "script",
    };
}
