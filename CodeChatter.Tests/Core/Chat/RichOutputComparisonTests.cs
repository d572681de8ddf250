using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Chat;

public class RichOutputComparisonTests
{
    private static readonly byte[] Plot = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public void A_rerun_that_draws_the_same_plot_bytes_is_the_same()
    {
        var before = RunOutput.From(Result(Plot));
        var now = RunOutput.From(Result([.. Plot]));

        Assert.False(now.HasChangedSince(before));
    }

    [Fact]
    public void A_rerun_whose_plot_differs_by_one_byte_is_changed_though_stdout_is_the_same()
    {
        var other = (byte[])Plot.Clone();
        other[^5] ^= 1;
        var before = RunOutput.From(Result(Plot));
        var now = RunOutput.From(Result(other));

        Assert.True(now.HasChangedSince(before));
    }

    [Fact]
    public void The_same_items_in_another_order_or_of_another_type_are_changed()
    {
        var text = "42"u8.ToArray();
        var before = RunOutput.From(Result(Plot) with { Outputs = [new(RichMediaTypes.Png, Plot, 0), new(RichMediaTypes.PlainText, text, 0)] });
        var swapped = RunOutput.From(Result(Plot) with { Outputs = [new(RichMediaTypes.PlainText, text, 0), new(RichMediaTypes.Png, Plot, 0)] });
        var retyped = RunOutput.From(Result(Plot) with { Outputs = [new(RichMediaTypes.Png, Plot, 0), new(RichMediaTypes.Html, text, 0)] });
        var dropped = RunOutput.From(Result(Plot));

        Assert.True(swapped.HasChangedSince(before));
        Assert.True(retyped.HasChangedSince(before));
        Assert.True(dropped.HasChangedSince(before));
    }

    [Fact]
    public void A_page_compares_stored_reruns_by_image_hash_and_says_which_part_changed()
    {
        var first = View(1, ExecutionTrigger.Submit, Plot);
        var same = View(2, ExecutionTrigger.Rerun, [.. Plot]);
        var other = (byte[])Plot.Clone();
        other[20] ^= 0xFF;
        var changed = View(3, ExecutionTrigger.Rerun, other);

        var sameComparison = RerunComparison.Between(same, first)!;
        var changedComparison = RerunComparison.Between(changed, same)!;

        Assert.Equal(("same", false), (sameComparison.Word, sameComparison.OutputsChanged));
        Assert.Equal(("changed", true), (changedComparison.Word, changedComparison.OutputsChanged));
        Assert.Null(changedComparison.StdoutDiff);
    }

    [Fact]
    public void A_fingerprint_is_the_lowercase_hex_sha256_of_the_bytes()
    {
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            OutputFingerprint.Of(new RichOutput(RichMediaTypes.PlainText, "abc"u8.ToArray(), 0)).Sha256);
    }

    [Fact]
    public void Two_files_with_the_same_bytes_but_different_names_are_different_items()
    {
        var before = OutputFingerprint.Of(new RichOutput(RichMediaTypes.File, "1,2"u8.ToArray(), 0) { FileName = "a.csv" });
        var renamed = OutputFingerprint.Of(new RichOutput(RichMediaTypes.File, "1,2"u8.ToArray(), 0) { FileName = "b.csv" });
        var same = OutputFingerprint.Of(new RichOutput(RichMediaTypes.File, "1,2"u8.ToArray(), 0) { FileName = "a.csv" });

        Assert.NotEqual(before, renamed);
        Assert.Equal(before, same);
        Assert.Equal(before, new OutputItemView(7, RichMediaTypes.File, 3, 0, before.Sha256, null) { FileName = "a.csv" }.Fingerprint);
    }

    [Fact]
    public void A_name_given_to_an_image_or_text_does_not_change_its_fingerprint()
    {
        var png = new RichOutput(RichMediaTypes.Png, Plot, 0);
        var text = new RichOutput(RichMediaTypes.PlainText, "abc"u8.ToArray(), 0);

        Assert.Equal(new OutputFingerprint(RichMediaTypes.Png, OutputFingerprint.HashOf(Plot)), OutputFingerprint.Of(png with { FileName = "plot.png" }));
        Assert.Equal(OutputFingerprint.Of(text), OutputFingerprint.Of(text with { FileName = "value.txt" }));
    }

    private static ExecutionResult Result(byte[] png) => new()
    {
        Status = RunStatus.Succeeded, ExitCode = 0, Stdout = "drawn\n", Outputs = [new RichOutput(RichMediaTypes.Png, png, 6)],
    };

    private static RunView View(long id, ExecutionTrigger trigger, byte[] png) =>
        RunView.FromResult(id, 1, 1, "python", trigger, Result(png) with
        {
            StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch,
        });
}
