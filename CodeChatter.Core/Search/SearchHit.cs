using CodeChatter.Core.Chat;

namespace CodeChatter.Core.Search;

/// <summary>One reply or note that matched, with an excerpt of where.</summary>
/// <param name="ExecutionId">The run (a reply), or null for a note.</param>
/// <param name="SnippetId">The snippet that was run, or the note.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="ConversationTitle">The conversation's title.</param>
/// <param name="OwnerId">Whose it is.</param>
/// <param name="OwnerEmail">The owner's e-mail address (their id when they have none).</param>
/// <param name="Kind">A code snippet's reply or a note.</param>
/// <param name="Language">The snippet's language.</param>
/// <param name="Status">The run's wire status (<c>running</c> while in flight); null for a note.</param>
/// <param name="At">When the run started or the note was written (UTC).</param>
/// <param name="Excerpt">Where it matched.</param>
/// <param name="ExcerptFrom">Which text the excerpt is from: <c>title</c>, <c>code</c>, <c>stdin</c>, <c>stdout</c> or <c>stderr</c> (a note's text is its <c>code</c>).</param>
public sealed record SearchHit(
    long? ExecutionId, long SnippetId, long ConversationId, string ConversationTitle, string OwnerId, string OwnerEmail,
    SnippetKind Kind, string Language, string? Status, DateTime At, HighlightedText Excerpt, string ExcerptFrom);

/// <summary>A piece of an excerpt: plain text, or text that matched the query.</summary>
/// <param name="Text">The text, never encoded (encode it where it is shown).</param>
/// <param name="IsMatch">Whether it matched.</param>
public sealed record HighlightedPart(string Text, bool IsMatch);

/// <summary>An excerpt split into matched and unmatched parts, so every surface encodes the text before marking it.</summary>
/// <param name="Parts">The parts in order.</param>
public sealed record HighlightedText(IReadOnlyList<HighlightedPart> Parts)
{
    /// <summary>The whole excerpt as plain text.</summary>
    public string PlainText => string.Concat(Parts.Select(p => p.Text));

    /// <summary>
    /// Splits an excerpt whose matches are wrapped in <see cref="SearchTerms.MatchStart"/> and
    /// <see cref="SearchTerms.MatchEnd"/> (the indexed text never contains either).
    /// </summary>
    public static HighlightedText FromMarked(string? marked)
    {
        var parts = new List<HighlightedPart>();
        var text = marked ?? "";
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf(SearchTerms.MatchStart, position);
            if (start < 0) { parts.Add(new HighlightedPart(text[position..], false)); break; }
            if (start > position) parts.Add(new HighlightedPart(text[position..start], false));
            var end = text.IndexOf(SearchTerms.MatchEnd, start + 1);
            var matchEnd = end < 0 ? text.Length : end;
            if (matchEnd > start + 1) parts.Add(new HighlightedPart(text[(start + 1)..matchEnd], true));
            position = end < 0 ? text.Length : end + 1;
        }
        return new HighlightedText(parts);
    }
}
