using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution;

/// <summary>The configured languages and which of them this machine can run.</summary>
public sealed class LanguageCatalog
{
    private readonly Dictionary<string, LanguageInfo> _languages;

    /// <summary>Checks each configured language's tools once; installing a tool needs a restart.</summary>
    public LanguageCatalog(IOptions<ExecutionOptions> options)
    {
        _languages = options.Value.Languages
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => Describe(pair.Key.ToLowerInvariant(), pair.Value))
            .ToDictionary(info => info.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every configured language, available or not, by id.</summary>
    public IReadOnlyCollection<LanguageInfo> All => _languages.Values;

    /// <summary>The languages people may choose.</summary>
    public IEnumerable<LanguageInfo> Available => _languages.Values.Where(language => language.IsAvailable);

    /// <summary>Finds an available language by id (case-insensitive).</summary>
    public bool TryGetAvailable(string? id, out LanguageInfo language)
    {
        if (id is not null && _languages.TryGetValue(id, out var found) && found.IsAvailable)
        {
            language = found;
            return true;
        }
        language = null!;
        return false;
    }

    private static LanguageInfo Describe(string id, LanguageDefinition definition)
    {
        if (definition.Run.Length == 0 || string.IsNullOrWhiteSpace(definition.FileName))
        {
            return new LanguageInfo(id, definition, false, "(no run command configured)");
        }
        // A compiled language runs what it built inside the sandbox, so only its compiler is on the host.
        var tool = definition.Compile.Length > 0 ? definition.Compile[0] : definition.Run[0];
        return IsExecutableFile(tool)
            ? new LanguageInfo(id, definition, true, null)
            : new LanguageInfo(id, definition, false, tool);
    }

    // Tools are absolute paths on purpose: the sandbox has no PATH lookup of the server's to lean on.
    private static bool IsExecutableFile(string path) =>
        Path.IsPathRooted(path) && File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
