namespace CodeChatter.Core.Execution;

/// <summary>
/// How to run one language. Languages are configuration (<c>Execution:Languages:{id}</c>), not code:
/// adding one needs no change to the executor.
/// </summary>
public sealed class LanguageDefinition
{
    /// <summary>Name shown to people, such as "Python 3".</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>File the snippet is saved as inside the scratch directory, such as <c>main.py</c>.</summary>
    public string FileName { get; set; } = "";

    /// <summary>Optional compile command, run inside the same sandbox and under the same limits.</summary>
    public string[] Compile { get; set; } = [];

    /// <summary>Command that runs the program, with the scratch directory as working directory.</summary>
    public string[] Run { get; set; } = [];

    /// <summary>Syntax-highlighting mode for the editor (python, javascript, shell, c).</summary>
    public string EditorMode { get; set; } = "";

    /// <summary>
    /// How sandboxes for this language may be started ahead of time: <c>python</c> (the interpreter
    /// waits and runs the snippet in-process), <c>exec</c> (a waiting bootstrap execs the run command)
    /// or empty (always a cold start; compiled languages).
    /// </summary>
    public string Prestart { get; set; } = "";

    /// <summary>
    /// The session driver that keeps this language's state between a conversation's messages:
    /// <c>python</c>, <c>javascript</c> or <c>bash</c>; empty when the language always runs fresh (C).
    /// </summary>
    public string Session { get; set; } = "";

    /// <summary>
    /// Importable packages offered with this language (Python modules such as <c>numpy</c>), reported with
    /// their versions by <c>doctor</c> and <c>GET /api/languages</c>. Configuration, not code.
    /// </summary>
    public string[] Packages { get; set; } = [];

    /// <summary>
    /// Whether a per-process address-space limit may be applied when no memory cgroup is available.
    /// False for runtimes that reserve large virtual ranges up front (Node's V8).
    /// </summary>
    public bool AllowAddressSpaceLimit { get; set; } = true;
}

/// <summary>A configured language and whether this machine can run it.</summary>
/// <param name="Id">The language id used in requests, such as <c>python</c>.</param>
/// <param name="Definition">Its configuration.</param>
/// <param name="IsAvailable">False when its compiler or interpreter is not installed.</param>
/// <param name="MissingTool">The tool that was looked for and not found, when unavailable.</param>
public sealed record LanguageInfo(string Id, LanguageDefinition Definition, bool IsAvailable, string? MissingTool);
