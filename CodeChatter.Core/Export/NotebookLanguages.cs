namespace CodeChatter.Core.Export;

/// <summary>
/// How CodeChatter's language ids meet Jupyter's: the kernelspec and language_info a notebook of a
/// conversation declares, the language an imported notebook's metadata names, and each language's
/// script conventions.
/// </summary>
public static class NotebookLanguages
{
    /// <summary>What an imported notebook's code runs as when its metadata names no language CodeChatter knows.</summary>
    public const string Fallback = "python";

    private static readonly Dictionary<string, LanguageConventions> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = new("python3", "Python 3", "python", ".py", "text/x-python", "#", "python"),
        ["javascript"] = new("javascript", "JavaScript (Node.js)", "javascript", ".js", "text/javascript", "//", "javascript"),
        ["bash"] = new("bash", "Bash", "bash", ".sh", "text/x-shellscript", "#", "bash"),
        ["c"] = new("c", "C", "c", ".c", "text/x-csrc", "//", "c"),
    };

    // Names kernels and language_info use for the same languages (IPython, IJavascript, tslab, bash_kernel).
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["python"] = "python", ["python3"] = "python", ["python2"] = "python", ["ipython"] = "python", ["ipython3"] = "python",
        ["javascript"] = "javascript", ["js"] = "javascript", ["node"] = "javascript", ["nodejs"] = "javascript",
        ["bash"] = "bash", ["sh"] = "bash", ["shell"] = "bash",
        ["c"] = "c",
    };

    /// <summary>The conventions of a language id; Python's for an id with none of its own.</summary>
    public static LanguageConventions Of(string? language) =>
        language is not null && Known.TryGetValue(language, out var conventions) ? conventions : Known[Fallback];

    /// <summary>The CodeChatter language a kernel or language name stands for; null when none.</summary>
    public static string? FromNotebookName(string? name) =>
        name is not null && Aliases.TryGetValue(name.Trim(), out var language) ? language : null;
}

/// <summary>How one language is written in a notebook, a script and Markdown.</summary>
/// <param name="KernelName">The kernelspec name (<c>python3</c>).</param>
/// <param name="KernelDisplayName">The kernelspec display name.</param>
/// <param name="LanguageInfoName">The language_info name.</param>
/// <param name="ScriptExtension">The script's file extension, with its dot.</param>
/// <param name="ScriptMediaType">The media type a script is served as.</param>
/// <param name="CommentPrefix">What starts a line comment (<c>#</c> or <c>//</c>).</param>
/// <param name="FenceLanguage">The language of a Markdown code fence.</param>
public sealed record LanguageConventions(
    string KernelName, string KernelDisplayName, string LanguageInfoName, string ScriptExtension, string ScriptMediaType,
    string CommentPrefix, string FenceLanguage)
{
    /// <summary>The cell marker of the percent format (Jupytext, VS Code, Spyder): <c># %%</c> or <c>// %%</c>.</summary>
    public string CellMarker => CommentPrefix + " %%";
}
