using System.Text;

namespace CodeChatter.Core.Search;

/// <summary>One thing to look for: a word or a quoted phrase, optionally a prefix (<c>pars*</c>).</summary>
/// <param name="Text">The word or the phrase's words, exactly as typed (never query syntax).</param>
/// <param name="IsPrefix">Whether words that only start with it count too.</param>
public sealed record SearchTerm(string Text, bool IsPrefix = false);

/// <summary>
/// What a person asked for, read from the search box: words, <c>"quoted phrases"</c>, prefixes
/// (<c>pars*</c>) and exclusions (<c>-word</c>). Every other character is part of a term, never syntax,
/// so a query cannot reach the search engine's own operators.
/// </summary>
/// <param name="Included">Terms every hit contains.</param>
/// <param name="Excluded">Terms no hit contains.</param>
public sealed record SearchTerms(IReadOnlyList<SearchTerm> Included, IReadOnlyList<SearchTerm> Excluded)
{
    /// <summary>The characters that mark a match in a highlighted excerpt; removed from queries and indexed text.</summary>
    public const char MatchStart = '\uE000', MatchEnd = '\uE001';

    /// <summary>Whether there is anything to look for.</summary>
    public bool IsEmpty => Included.Count == 0 && Excluded.Count == 0;

    /// <summary>Reads a query typed by a person. Terms without a letter or digit are dropped: they match nothing.</summary>
    public static SearchTerms Parse(string? query)
    {
        var included = new List<SearchTerm>();
        var excluded = new List<SearchTerm>();
        var text = (query ?? "").Replace(MatchStart.ToString(), "", StringComparison.Ordinal).Replace(MatchEnd.ToString(), "", StringComparison.Ordinal);
        var position = 0;
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position])) { position++; continue; }
            var negated = text[position] == '-' && position + 1 < text.Length && !char.IsWhiteSpace(text[position + 1]);
            if (negated) position++;
            var term = ReadTerm(text, ref position);
            if (term is null) continue;
            (negated ? excluded : included).Add(term);
        }
        return new SearchTerms(included, excluded);
    }

    private static SearchTerm? ReadTerm(string text, ref int position)
    {
        string word;
        if (text[position] == '"')
        {
            // A phrase runs to the next quote; an unbalanced quote simply runs to the end.
            var end = text.IndexOf('"', position + 1);
            word = end < 0 ? text[(position + 1)..] : text[(position + 1)..end];
            position = end < 0 ? text.Length : end + 1;
        }
        else
        {
            var start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position])) position++;
            word = text[start..position];
        }
        var isPrefix = word.Length > 1 && word.EndsWith('*') && char.IsLetterOrDigit(word[^2]);
        if (isPrefix) word = word[..^1];
        return word.Any(char.IsLetterOrDigit) ? new SearchTerm(Normalize(word), isPrefix) : null;
    }

    private static string Normalize(string word) => word.Normalize(NormalizationForm.FormC).Trim();
}
