using DiffPlex;

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
/// A line diff (DiffPlex's Myers differ): what a re-run printed compared with the run before.
/// </summary>
public static class LineDiff
{
    /// <summary>
    /// Past this many cells (differing old lines times differing new lines) the diff would cost too much
    /// time (output is capped at 64 KiB per stream, so up to ~32k lines each side, and Myers' algorithm
    /// slows down with the number of differences); the diff then shows the differing middle as removed and
    /// added wholesale, which is still correct, only less minimal.
    /// </summary>
    public const long MaxTableCells = 4_000_000;

    /// <summary>Splits both texts into lines (\n or \r\n) and diffs them.</summary>
    public static IReadOnlyList<DiffLine> Compute(string before, string after) =>
        Compute(SplitLines(before), SplitLines(after));

    /// <summary>Diffs two lists of lines (each without its line break): unchanged, removed and added lines in reading order.</summary>
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
        DiffMiddle(Slice(before, head, before.Count - tail), Slice(after, head, after.Count - tail), result);
        for (var i = before.Count - tail; i < before.Count; i++) result.Add(new DiffLine(DiffKind.Unchanged, before[i]));
        return result;
    }

    /// <summary>Whether any line was added or removed.</summary>
    public static bool HasChanges(IReadOnlyList<DiffLine> diff) => diff.Any(line => line.Kind != DiffKind.Unchanged);

    private static string[] Slice(IReadOnlyList<string> lines, int start, int end) =>
        Enumerable.Range(start, end - start).Select(i => lines[i]).ToArray();

    private static void DiffMiddle(string[] before, string[] after, List<DiffLine> result)
    {
        if ((long)before.Length * after.Length > MaxTableCells)
        {
            result.AddRange(before.Select(line => new DiffLine(DiffKind.Removed, line)));
            result.AddRange(after.Select(line => new DiffLine(DiffKind.Added, line)));
            return;
        }
        var diff = Differ.Instance.CreateDiffs(Joined(before), Joined(after), ignoreWhiteSpace: false, ignoreCase: false, LineFeedChunker.Instance);
        var x = 0;
        foreach (var block in diff.DiffBlocks)
        {
            // Lines between two blocks are in both texts.
            for (; x < block.DeleteStartA; x++) result.Add(new DiffLine(DiffKind.Unchanged, before[x]));
            for (; x < block.DeleteStartA + block.DeleteCountA; x++) result.Add(new DiffLine(DiffKind.Removed, before[x]));
            for (var y = block.InsertStartB; y < block.InsertStartB + block.InsertCountB; y++) result.Add(new DiffLine(DiffKind.Added, after[y]));
        }
        for (; x < before.Length; x++) result.Add(new DiffLine(DiffKind.Unchanged, before[x]));
    }

    // DiffPlex reads an empty text as no lines at all, so a side that is one blank line would vanish:
    // every line gets the same one-character prefix, which changes no comparison.
    private static string Joined(string[] lines) => string.Join('\n', lines.Select(line => "|" + line));

    /// <summary>
    /// Splits on \n alone: the lines were split by <see cref="SplitLines"/> already. DiffPlex's own line
    /// chunker would also split on a lone \r, which is part of a line here.
    /// </summary>
    private sealed class LineFeedChunker : IChunker
    {
        public static readonly LineFeedChunker Instance = new();

        public IReadOnlyList<string> Chunk(string text) => text.Split('\n');
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
