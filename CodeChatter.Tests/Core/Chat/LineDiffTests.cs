using CodeChatter.Core.Chat;

namespace CodeChatter.Tests.Core.Chat;

public class LineDiffTests
{
    private static string Render(IEnumerable<DiffLine> diff) =>
        string.Join("|", diff.Select(line => (line.Kind switch { DiffKind.Added => "+", DiffKind.Removed => "-", _ => " " }) + line.Text));

    [Fact]
    public void Identical_texts_have_only_unchanged_lines()
    {
        var diff = LineDiff.Compute("a\nb\nc\n", "a\nb\nc\n");

        Assert.Equal(" a| b| c", Render(diff));
        Assert.False(LineDiff.HasChanges(diff));
    }

    [Fact]
    public void A_changed_line_is_shown_as_removed_then_added()
    {
        var diff = LineDiff.Compute("a\nb\nc", "a\nB\nc");

        Assert.Equal(" a|-b|+B| c", Render(diff));
        Assert.True(LineDiff.HasChanges(diff));
    }

    [Fact]
    public void Inserted_and_deleted_lines_keep_the_longest_common_subsequence()
    {
        var diff = LineDiff.Compute("x\na\nb\nc\ny", "a\nq\nb\nc\nz");

        Assert.Equal("-x| a|+q| b| c|-y|+z", Render(diff));
    }

    [Fact]
    public void An_empty_text_has_no_lines()
    {
        Assert.Equal("+one|+two", Render(LineDiff.Compute("", "one\ntwo\n")));
        Assert.Equal("-one", Render(LineDiff.Compute("one", "")));
        Assert.Empty(LineDiff.Compute("", ""));
    }

    [Fact]
    public void Windows_line_breaks_count_as_line_breaks()
    {
        Assert.Equal(" a| b", Render(LineDiff.Compute("a\r\nb\r\n", "a\nb")));
    }

    [Fact]
    public void A_missing_final_line_break_is_not_a_change()
    {
        Assert.False(LineDiff.HasChanges(LineDiff.Compute("a\nb", "a\nb\n")));
    }

    [Fact]
    public void Very_large_differing_middles_fall_back_to_removed_then_added_without_a_huge_table()
    {
        var before = Enumerable.Range(0, 3000).Select(i => $"old {i}").Prepend("head").Append("tail").ToList();
        var after = Enumerable.Range(0, 3000).Select(i => $"new {i}").Prepend("head").Append("tail").ToList();

        var diff = LineDiff.Compute(before, after);

        Assert.Equal(new DiffLine(DiffKind.Unchanged, "head"), diff[0]);
        Assert.Equal(new DiffLine(DiffKind.Unchanged, "tail"), diff[^1]);
        Assert.Equal(3000, diff.Count(line => line.Kind == DiffKind.Removed));
        Assert.Equal(3000, diff.Count(line => line.Kind == DiffKind.Added));
        Assert.All(diff.Skip(1).Take(3000), line => Assert.Equal(DiffKind.Removed, line.Kind));
    }

    [Theory]
    [InlineData("a\nb\nc\n", "a\nB\nc\n")]
    [InlineData("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n")]
    public void Texts_ending_in_a_line_break_show_no_blank_lines_between_their_lines(string before, string after)
    {
        var diff = LineDiff.Compute(before, after);

        Assert.Equal(" a|-b|+B| c", Render(diff));
        Assert.DoesNotContain(diff, line => line.Text.Length == 0);
    }

    [Fact]
    public void Blank_lines_of_the_output_are_diffed_like_any_other_line()
    {
        Assert.Equal(" a|- |+| b", Render(LineDiff.Compute("a\n \nb\n", "a\n\nb\n")));
    }
}
