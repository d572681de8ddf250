namespace CodeChatter.Core.Chat;

/// <summary>How a line of a diff relates the old text to the new one.</summary>
public enum DiffKind
{
    /// <summary>In both texts.</summary>
    Unchanged,
    /// <summary>Only in the old text.</summary>
    Removed,
    /// <summary>Only in the new text.</summary>
    Added,
}

/// <summary>One line of a diff.</summary>
/// <param name="Kind">Whether it was kept, removed or added.</param>
/// <param name="Text">The line, without its line break.</param>
public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>
/// A line diff by longest common subsequence: what a re-run printed compared with the run before.
/// </summary>
public static class LineDiff
{
    /// <summary>
    /// Past this many cells (differing old lines times differing new lines) the table would cost too much
    /// memory (output is capped at 64 KiB per stream, so up to ~32k lines each side); the diff then shows
    /// the differing middle as removed and added wholesale, which is still correct, only less minimal.
    /// </summary>
    public const long MaxTableCells = 4_000_000;

    /// <summary>Splits both texts into lines (\n or \r\n) and diffs them.</summary>
    public static IReadOnlyList<DiffLine> Compute(string before, string after) =>
        Compute(SplitLines(before), SplitLines(after));

    /// <summary>Diffs two lists of lines: unchanged, removed and added lines in reading order.</summary>
    public static IReadOnlyList<DiffLine> Compute(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // Common head and tail are cheap to find and usually most of a re-run's output.
        var head = 0;
        while (head < before.Count && head < after.Count && before[head] == after[head]) head++;
        var tail = 0;
        while (tail < before.Count - head && tail < after.Count - head
               && before[before.Count - 1 - tail] == after[after.Count - 1 - tail]) tail++;

        var result = new List<DiffLine>(Math.Max(before.Count, after.Count));
        for (var i = 0; i < head; i++) result.Add(new DiffLine(DiffKind.Unchanged, before[i]));
        DiffMiddle(before, head, before.Count - tail, after, head, after.Count - tail, result);
        for (var i = before.Count - tail; i < before.Count; i++) result.Add(new DiffLine(DiffKind.Unchanged, before[i]));
        return result;
    }

    /// <summary>Whether any line was added or removed.</summary>
    public static bool HasChanges(IReadOnlyList<DiffLine> diff) => diff.Any(line => line.Kind != DiffKind.Unchanged);

    private static void DiffMiddle(
        IReadOnlyList<string> before, int beforeStart, int beforeEnd,
        IReadOnlyList<string> after, int afterStart, int afterEnd, List<DiffLine> result)
    {
        int n = beforeEnd - beforeStart, m = afterEnd - afterStart;
        if ((long)n * m > MaxTableCells)
        {
            for (var i = beforeStart; i < beforeEnd; i++) result.Add(new DiffLine(DiffKind.Removed, before[i]));
            for (var j = afterStart; j < afterEnd; j++) result.Add(new DiffLine(DiffKind.Added, after[j]));
            return;
        }
        // lengths[i, j] = length of the LCS of before[i..] and after[j..].
        var lengths = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = before[beforeStart + i] == after[afterStart + j]
                    ? lengths[i + 1, j + 1] + 1
                    : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }
        int x = 0, y = 0;
        while (x < n && y < m)
        {
            if (before[beforeStart + x] == after[afterStart + y])
            {
                result.Add(new DiffLine(DiffKind.Unchanged, before[beforeStart + x]));
                x++;
                y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                result.Add(new DiffLine(DiffKind.Removed, before[beforeStart + x++]));
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, after[afterStart + y++]));
            }
        }
        while (x < n) result.Add(new DiffLine(DiffKind.Removed, before[beforeStart + x++]));
        while (y < m) result.Add(new DiffLine(DiffKind.Added, after[afterStart + y++]));
    }

    /// <summary>
    /// Lines of a text; a final line break does not start an empty last line, and an empty text has no lines.
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
