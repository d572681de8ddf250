using CodeChatter.Web.Rendering;

namespace CodeChatter.Tests.Web.Rendering;

public class AnsiOutputTests
{
    private const string Esc = "\u001b";

    [Fact]
    public void Text_without_escapes_is_only_encoded() =>
        Assert.Equal("a &lt; b &amp;&amp; c", AnsiOutput.ToHtml("a < b && c"));

    [Fact]
    public void A_foreground_colour_becomes_a_span_with_a_palette_class_until_reset() =>
        Assert.Equal("<span class=\"ansi-fg-1\">red</span> plain", AnsiOutput.ToHtml($"{Esc}[31mred{Esc}[0m plain"));

    [Fact]
    public void Bold_bright_and_background_combine_in_one_span() =>
        Assert.Equal(
            "<span class=\"ansi-bold ansi-fg-10 ansi-bg-4\">x</span>",
            AnsiOutput.ToHtml($"{Esc}[1;92;44mx{Esc}[m"));

    [Fact]
    public void Default_colour_codes_undo_one_attribute_each() =>
        Assert.Equal(
            "<span class=\"ansi-bold ansi-fg-3\">a</span><span class=\"ansi-bold\">b</span>c",
            AnsiOutput.ToHtml($"{Esc}[1;33ma{Esc}[39mb{Esc}[22mc"));

    [Fact]
    public void Script_in_coloured_output_stays_encoded() =>
        Assert.Equal(
            "<span class=\"ansi-fg-1\">&lt;script&gt;alert(1)&lt;/script&gt;</span>",
            AnsiOutput.ToHtml($"{Esc}[31m<script>alert(1)</script>"));

    [Fact]
    public void Parameters_never_reach_the_markup()
    {
        var html = AnsiOutput.ToHtml($"{Esc}[31;\"><script>m{Esc}]0;<img src=x onerror=alert(1)>\u0007done");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.EndsWith("done", html);
    }

    [Fact]
    public void Other_escape_sequences_are_dropped_from_the_display() =>
        Assert.Equal(
            "titlecleared",
            AnsiOutput.ToHtml($"{Esc}]0;my title{Esc}\\title{Esc}[2J{Esc}[Hcleared{Esc}(B{Esc}[?25l"));

    [Fact]
    public void An_unterminated_sequence_at_the_end_is_dropped() =>
        Assert.Equal("<span class=\"ansi-fg-2\">ok</span>", AnsiOutput.ToHtml($"{Esc}[32mok{Esc}[1;3"));

    [Fact]
    public void A_lone_escape_at_the_end_or_before_a_newline_is_dropped_but_the_newline_kept() =>
        Assert.Equal("a&#xA;b", AnsiOutput.ToHtml($"a{Esc}\nb{Esc}"));

    [Fact]
    public void Huge_numbers_and_unknown_codes_are_ignored() =>
        Assert.Equal("x", AnsiOutput.ToHtml($"{Esc}[99999999999999999999999999999999m{Esc}[31000000031mx"));

    [Fact]
    public void Extended_colours_are_read_past_without_colouring() =>
        Assert.Equal("<span class=\"ansi-fg-1\">x</span>", AnsiOutput.ToHtml($"{Esc}[38;5;196;31mx{Esc}[38;2;1;2;3;39m"));

    [Fact]
    public void A_flood_of_escapes_converts_in_linear_time()
    {
        var hostile = string.Concat(Enumerable.Repeat($"{Esc}[31;", 50_000)) + string.Concat(Enumerable.Repeat($"{Esc}[1m{Esc}[0m", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AnsiOutput.ToHtml(hostile);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
