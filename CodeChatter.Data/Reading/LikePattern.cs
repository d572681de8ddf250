namespace CodeChatter.Data.Reading;

/// <summary>Text to find inside a LIKE pattern: its own wildcards match themselves, not any character.</summary>
internal static class LikePattern
{
    /// <summary>The escape character the escaped text is to be matched with (<c>LIKE … ESCAPE '\'</c>).</summary>
    public const string EscapeCharacter = "\\";

    /// <summary>The text with <c>%</c>, <c>_</c> and the escape character itself escaped.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
