using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Web.Rendering;

/// <summary>
/// A reply's stdout cut where its displayed items fall, so a figure shows up between the lines printed
/// before and after it, as in a notebook. Each part is either a piece of text or one item.
/// </summary>
/// <param name="Text">A piece of stdout, or null for an item.</param>
/// <param name="Item">An item, or null for text.</param>
/// <param name="Figure">For an image, its number among the reply's images (from 1); otherwise 0.</param>
public sealed record ReplyPart(string? Text, OutputItemView? Item, int Figure)
{
    /// <summary>
    /// Splits <paramref name="stdout"/> at each item's <see cref="OutputItemView.StdoutPosition"/> (clamped to
    /// the text shown, and never inside a surrogate pair), keeping the items' order. Empty pieces are left out.
    /// </summary>
    public static IReadOnlyList<ReplyPart> Interleave(string stdout, IReadOnlyList<OutputItemView> items)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(items);
        var parts = new List<ReplyPart>(items.Count * 2 + 1);
        var at = 0;
        var figures = 0;
        foreach (var item in items)
        {
            // Items arrive in the order shown; a position behind the last cut (never expected) stays there.
            var cut = Math.Clamp(item.StdoutPosition, at, stdout.Length);
            if (cut > 0 && cut < stdout.Length && char.IsLowSurrogate(stdout[cut])) cut--;
            cut = Math.Max(cut, at);
            if (cut > at) parts.Add(new ReplyPart(stdout[at..cut], null, 0));
            at = cut;
            parts.Add(new ReplyPart(null, item, item.IsImage ? ++figures : 0));
        }
        if (at < stdout.Length) parts.Add(new ReplyPart(stdout[at..], null, 0));
        return parts;
    }
}
