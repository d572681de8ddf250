using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Web.Rendering;

namespace CodeChatter.Tests.Web.Rendering;

public class ReplyPartsTests
{
    [Fact]
    public void Items_past_the_shown_stdout_follow_it_and_a_cut_never_splits_a_surrogate_pair()
    {
        var stdout = "a😀b";
        var items = new[] { Item(2, RichMediaTypes.Png), Item(500, RichMediaTypes.Png), Item(0, RichMediaTypes.PlainText) };

        var parts = ReplyPart.Interleave(stdout, items);

        Assert.Equal(
            ["text:a", "figure 1", "text:😀b", "figure 2", "item"],
            parts.Select(p => p.Text is { } text ? "text:" + text : p.Figure > 0 ? $"figure {p.Figure}" : "item"));
    }

    private static OutputItemView Item(int position, string mediaType) => new(1, mediaType, 1, position, "", null);
}
