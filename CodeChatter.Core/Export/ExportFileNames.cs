using System.Text;

namespace CodeChatter.Core.Export;

/// <summary>File names for downloads, made from a conversation's title.</summary>
public static class ExportFileNames
{
    private const int MaxStemLength = 80;

    /// <summary>
    /// The title reduced to letters, digits, <c>-</c> and <c>_</c> (anything else becomes one <c>-</c>),
    /// at most 80 characters, with the extension; <c>conversation-{id}</c> when nothing is left. A title
    /// is anyone's text: kept this narrow, it can carry no path, quote or control character into a
    /// Content-Disposition header or a file system.
    /// </summary>
    public static string For(string? title, long conversationId, string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        var stem = new StringBuilder();
        foreach (var character in (title ?? "").Normalize(NormalizationForm.FormKC))
        {
            if (char.IsAsciiLetterOrDigit(character) || character is '_' or '-')
            {
                stem.Append(character);
            }
            else if (stem.Length > 0 && stem[^1] != '-')
            {
                stem.Append('-');
            }
            if (stem.Length >= MaxStemLength) break;
        }
        var safe = stem.ToString().Trim('-', '_');
        return (safe.Length > 0 ? safe : $"conversation-{conversationId}") + extension;
    }
}
