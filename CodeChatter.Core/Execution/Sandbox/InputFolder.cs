namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// The host folder a box sees read-only as <c>/box/inputs</c>: its conversation's attachments. Written
/// only by the server, in a box's own host folder that the box never sees writable, so there is no path
/// a snippet could have planted for the server to follow; files are root's (or the server's) and
/// world-readable, the folder world-traversable, so the box's unprivileged uid reads them and nothing
/// else. A session keeps one for its life and it is brought in step before each message, so a file
/// attached while the session lives is there for its next message.
/// </summary>
internal sealed class InputFolder
{
    /// <summary>The folder's name in a box's host folder, and in the box's working folder.</summary>
    public const string Name = "inputs";

    private const UnixFileMode FolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _staging;
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    private InputFolder(string hostDirectory)
    {
        Path = System.IO.Path.Combine(hostDirectory, Name);
        _staging = hostDirectory;
    }

    /// <summary>The folder on the host (bound read-only into the box).</summary>
    public string Path { get; }

    /// <summary>Makes the (empty) inputs folder in a box's fresh host folder.</summary>
    public static InputFolder Create(string hostDirectory)
    {
        var folder = new InputFolder(hostDirectory);
        Directory.CreateDirectory(folder.Path, FolderMode);
        // The process umask must not take the read bits away from the box's uid.
        File.SetUnixFileMode(folder.Path, FolderMode);
        return folder;
    }

    /// <summary>
    /// Brings the folder in step with <paramref name="inputs"/>: writes new and changed files (each
    /// replaced in one rename, so a box never reads half a file) and removes those no longer attached.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one plain path component.</exception>
    public void Sync(IReadOnlyList<InputFile> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var wanted = new Dictionary<string, InputFile>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            CheckName(input.Name);
            wanted[input.Name] = input;
        }
        foreach (var gone in _written.Keys.Where(name => !wanted.ContainsKey(name)).ToList())
        {
            File.Delete(System.IO.Path.Combine(Path, gone));
            _written.Remove(gone);
        }
        foreach (var input in wanted.Values)
        {
            if (_written.TryGetValue(input.Name, out var sha) && sha == input.Sha256) continue;
            var staged = System.IO.Path.Combine(_staging, "." + Guid.NewGuid().ToString("N"));
            using (var file = new FileStream(staged, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode,
            }))
            {
                file.Write(input.Content);
            }
            File.SetUnixFileMode(staged, FileMode);
            File.Move(staged, System.IO.Path.Combine(Path, input.Name), overwrite: true);
            _written[input.Name] = input.Sha256;
        }
    }

    // Names come from FileNames.ForAttachment; checked again because they become host paths here.
    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }
    }
}
