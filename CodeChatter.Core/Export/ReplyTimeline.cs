using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Core.Export;

/// <summary>
/// A run's stdout and displayed items in the order they appeared: the text printed before an item, the
/// item, the text after it. The chat page interleaves them the same way, by each item's
/// <see cref="OutputItemView.StdoutPosition"/>; exports keep that order so a notebook reads like the reply.
/// </summary>
public static class ReplyTimeline
{
    /// <summary>The parts of a run's stdout and items, in order; text parts are never empty.</summary>
    public static IReadOnlyList<ReplyPart> Of(RunView run, string stdout)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stdout);
        var parts = new List<ReplyPart>();
        var printed = 0;
        foreach (var item in run.Outputs.OrderBy(i => i.StdoutPosition))
        {
            // A position past the text (the stored stdout was cut) puts the item after all of it.
            var position = Math.Clamp(item.StdoutPosition, printed, stdout.Length);
            if (position > printed) parts.Add(new ReplyPart(stdout[printed..position], null));
            parts.Add(new ReplyPart(null, item));
            printed = position;
        }
        if (printed < stdout.Length) parts.Add(new ReplyPart(stdout[printed..], null));
        return parts;
    }
}

/// <summary>One part of a reply: printed text or a displayed item (exactly one is set).</summary>
/// <param name="Text">Text printed on stdout.</param>
/// <param name="Item">A plot, table, value or file.</param>
public sealed record ReplyPart(string? Text, OutputItemView? Item);
