using System.Text;

namespace CodeChatter.Core.Chat.Attachments;

/// <summary>
/// The one place names from outside (an uploader's file name, a path a box reported) are made safe.
/// Neither is ever joined to a host path without this; both only reach a page HTML-encoded and a
/// download header through <c>ContentDispositionHeaderValue</c>.
/// </summary>
public static class FileNames
{
    /// <summary>Longest name kept, in characters.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// An attachment's name: the last path component of what the uploader sent (browsers may send a whole
    /// path), with control characters dropped and length capped; null when nothing usable is left
    /// (empty, <c>.</c>, <c>..</c>). The result is one path component: it is the file's name under
    /// <c>inputs/</c> in every box of the conversation.
    /// </summary>
    public static string? ForAttachment(string? uploaded)
    {
        if (uploaded is null) return null;
        var last = uploaded.Replace('\\', '/').Split('/').LastOrDefault(part => part.Length > 0) ?? "";
        var name = Cap(WithoutControlCharacters(last).Trim());
        return name is "" or "." or ".." ? null : name;
    }

    /// <summary>
    /// A file a box gave back, as shown and offered for download: its relative path with empty, <c>.</c>
    /// and <c>..</c> segments dropped and control characters removed (<c>../../x</c> becomes <c>x</c>);
    /// <c>file</c> when nothing is left.
    /// </summary>
    public static string ForOutput(string? reported)
    {
        var parts = WithoutControlCharacters(reported ?? "").Replace('\\', '/').Split('/')
            .Select(part => part.Trim())
            .Where(part => part is not ("" or "." or ".."));
        var name = Cap(string.Join('/', parts));
        return name.Length == 0 ? "file" : name;
    }

    private static string WithoutControlCharacters(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format) continue;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    // Cut on a text-element boundary, so a name never ends in half a character.
    private static string Cap(string name)
    {
        if (name.Length <= MaxLength) return name;
        var info = new System.Globalization.StringInfo(name);
        var builder = new StringBuilder();
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var element = info.SubstringByTextElements(i, 1);
            if (builder.Length + element.Length > MaxLength) break;
            builder.Append(element);
        }
        return builder.ToString();
    }
}
