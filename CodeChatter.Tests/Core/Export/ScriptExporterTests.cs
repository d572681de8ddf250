using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

public class ScriptExporterTests
{
    [Fact]
    public void A_python_script_has_percent_cell_markers_and_notes_as_comments()
    {
        var conversation = ExportSamples.Conversation("Two steps", "python",
            ExportSamples.Note(1, 1, "Step *one*\n\nthen two"),
            ExportSamples.Code(2, 2, "x = 1"),
            ExportSamples.Code(3, 3, "print(x)\n"));

        var script = ScriptExporter.Write(conversation);

        Assert.Equal(
            "# Two steps\n\n# %% [markdown]\n# Step *one*\n#\n# then two\n\n# %%\nx = 1\n\n# %%\nprint(x)\n",
            script);
    }

    [Theory]
    [InlineData("javascript", "// %%", "// a note")]
    [InlineData("c", "// %%", "// a note")]
    [InlineData("bash", "# %%", "# a note")]
    public void Each_language_uses_its_own_comment_for_markers_and_notes(string language, string marker, string note)
    {
        var conversation = ExportSamples.Conversation("t", language,
            ExportSamples.Note(1, 1, "a note"), ExportSamples.Code(2, 2, language, "code", ""));

        var lines = ScriptExporter.Write(conversation).Split('\n');

        Assert.Contains(marker, lines);
        Assert.Contains(marker + " [markdown]", lines);
        Assert.Contains(note, lines);
    }

    [Fact]
    public void A_snippet_in_another_language_or_with_input_says_so_in_comments()
    {
        var conversation = ExportSamples.Conversation("t", "python", ExportSamples.Code(1, 1, "bash", "read x", "typed\n"));

        var script = ScriptExporter.Write(conversation);

        Assert.Contains("# %%\n# language: bash\n# standard input:\n# typed\nread x\n", script, StringComparison.Ordinal);
    }
}
