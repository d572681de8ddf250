namespace CodeChatter.Core.Chat;

/// <summary>
/// The one rule for text a person sends (code, standard input, notes, titles), applied by every surface
/// that takes it: the pages, the JSON API and the <c>exec</c> verb.
/// </summary>
/// <remarks>
/// A NUL character is refused rather than stored. Microsoft.Data.Sqlite binds a string of more than 512
/// UTF-8 bytes as NUL-terminated, so SQLite kept only what came before the first NUL while the sandbox ran
/// all of it; and no page can hand it back (HTML reads a NUL as U+FFFD, so an edited or re-sent snippet
/// would change). No snippet needs one: Python refuses source with NUL bytes, bash drops them, and a
/// program that wants a NUL in its data can print one (<c>printf '\0'</c>).
/// </remarks>
public static class MessageText
{
    /// <summary>Why <paramref name="text"/> cannot be taken, or null when it can.</summary>
    /// <param name="text">What was sent; null counts as nothing.</param>
    /// <param name="what">What the text is, for the message: "code", "input", "title".</param>
    public static string? NulProblem(string? text, string what) =>
        text is not null && text.Contains('\0', StringComparison.Ordinal)
            ? $"The {what} contains a NUL character (\\0), which cannot be stored and run exactly as sent. Remove it."
            : null;
}
