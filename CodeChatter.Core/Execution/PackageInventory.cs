using System.Text.RegularExpressions;

namespace CodeChatter.Core.Execution;

/// <summary>
/// The packages each language offers (<c>Execution:Languages:{id}:Packages</c>) with the versions
/// installed on this machine, found once, on first use, and kept for the server's life.
/// </summary>
/// <remarks>
/// Packages are Python distributions (only Python offers any today). Their versions are read from the
/// metadata Debian and pip install beside them (<c>NAME-VERSION.egg-info</c> or <c>.dist-info</c>, its
/// <c>PKG-INFO</c>/<c>METADATA</c> <c>Version:</c> line) under <c>/usr/lib/python3/dist-packages</c> and
/// <c>/usr/local/lib/python3*/dist-packages</c>: the folders every box binds read-only, so what is
/// listed here is what a snippet can import. No interpreter is started.
/// </remarks>
public sealed partial class PackageInventory
{
    private static readonly string[] DefaultSearchRoots = ["/usr/lib/python3/dist-packages", "/usr/local/lib"];

    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<(string Name, string? Version)>>> _byLanguage;

    /// <summary>Creates the inventory of the configured languages; nothing is read until it is asked.</summary>
    /// <param name="languages">The configured languages and the packages each offers.</param>
    public PackageInventory(LanguageCatalog languages) : this(languages, DefaultSearchRoots)
    {
    }

    internal PackageInventory(LanguageCatalog languages, IReadOnlyList<string> searchRoots)
    {
        ArgumentNullException.ThrowIfNull(languages);
        _byLanguage = new(() =>
        {
            var installed = FindInstalled(searchRoots);
            return languages.All.ToDictionary(
                language => language.Id,
                language => (IReadOnlyList<(string Name, string? Version)>)language.Definition.Packages
                    .Select(name => (name, installed.GetValueOrDefault(Normalize(name))))
                    .ToArray(),
                StringComparer.OrdinalIgnoreCase);
        });
    }

    /// <summary>
    /// The packages <paramref name="languageId"/> offers, in configuration order, each with its installed
    /// version, or a null version when it is not installed. Empty for a language that offers none or is unknown.
    /// </summary>
    public IReadOnlyList<(string Name, string? Version)> PackagesOf(string languageId) =>
        _byLanguage.Value.GetValueOrDefault(languageId) ?? [];

    /// <summary>Every configured language's packages (see <see cref="PackagesOf"/>), by language id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, string? Version)>> All => _byLanguage.Value;

    // PEP 503: names compare lowercase with runs of -, _ and . as one separator.
    private static string Normalize(string name) => Separators().Replace(name.ToLowerInvariant(), "-");

    private static Dictionary<string, string> FindInstalled(IReadOnlyList<string> searchRoots)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in searchRoots.SelectMany(PackageFolders))
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder).ToArray();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                var match = MetadataName().Match(Path.GetFileName(entry));
                if (!match.Success) continue;
                var name = Normalize(match.Groups["name"].Value);
                var version = ReadVersion(entry) ?? match.Groups["version"].Value;
                found.TryAdd(name, version);
            }
        }
        return found;
    }

    // /usr/lib/python3/dist-packages itself; under /usr/local/lib, each python3.X/dist-packages (pip's).
    private static IEnumerable<string> PackageFolders(string root)
    {
        if (!Directory.Exists(root)) return [];
        if (Path.GetFileName(root) == "dist-packages") return [root];
        try
        {
            return Directory.EnumerateDirectories(root, "python3*")
                .Select(python => Path.Combine(python, "dist-packages"))
                .Where(Directory.Exists)
                .ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? ReadVersion(string metadata)
    {
        var file = File.Exists(metadata) ? metadata
            : new[] { "METADATA", "PKG-INFO" }.Select(name => Path.Combine(metadata, name)).FirstOrDefault(File.Exists);
        if (file is null) return null;
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0) break; // the headers end at the first empty line
                if (line.StartsWith("Version:", StringComparison.Ordinal)) return line["Version:".Length..].Trim();
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9._]*?)-(?<version>[0-9][^-]*?)(-py[0-9.]+)?\.(egg-info|dist-info)$")]
    private static partial Regex MetadataName();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();
}
