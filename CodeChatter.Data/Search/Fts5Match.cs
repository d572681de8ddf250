using System.Text;
using CodeChatter.Core.Search;

namespace CodeChatter.Data.Search;

/// <summary>
/// Writes the FTS5 MATCH expression of a search. Every term goes in as a quoted string, so nothing a person
/// types becomes FTS5 syntax; the person, language and status are the hex tokens the index holds for them
/// (see the SearchIndex migration), each in its own column.
/// </summary>
internal static class Fts5Match
{
    /// <summary>The columns a person's words are looked for in, in the table's order (snippet() numbers them so).</summary>
    public static readonly IReadOnlyList<string> TextColumns = ["title", "code", "stdin", "stdout", "stderr"];

    private const string InText = "{Title Code Stdin Stdout Stderr}";

    public static string For(SearchCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var filters = new List<string>();
        if (criteria.OwnerId is { } owner) filters.Add($"{{Owner}} : {Token(owner)}");
        if (!string.IsNullOrWhiteSpace(criteria.Request.Language)) filters.Add($"{{Language}} : {Token(criteria.Request.Language.Trim())}");
        if (!string.IsNullOrWhiteSpace(criteria.Request.Status)) filters.Add($"{{Status}} : {Token(criteria.Request.Status.Trim())}");
        var included = string.Join(" AND ", criteria.Terms.Included.Select(Phrase));
        var expression = new StringBuilder(string.Join(" AND ", filters.Append($"{InText} : ({included})")));
        if (criteria.Terms.Excluded.Count > 0)
        {
            expression.Insert(0, '(').Append(") NOT ").Append(InText).Append(" : (")
                .Append(string.Join(" OR ", criteria.Terms.Excluded.Select(Phrase))).Append(')');
        }
        return expression.ToString();
    }

    /// <summary>The indexed token of a value: its UTF-8 bytes in hex, one word whatever the value holds.</summary>
    public static string Token(string value) => $"\"{Convert.ToHexString(Encoding.UTF8.GetBytes(value))}\"";

    private static string Phrase(SearchTerm term) =>
        "\"" + term.Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (term.IsPrefix ? " *" : "");
}
