using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

public class MarkdownExporterTests
{
    [Fact]
    public void Markdown_has_the_title_notes_as_is_code_in_its_language_and_output_in_text_blocks()
    {
        var markdown = MarkdownExporter.Write(ExportSamples.Rich());

        Assert.StartsWith("# Plots & errors: a/b\n\n# Heading\n\nSome *notes*.\n", markdown, StringComparison.Ordinal);
        Assert.Contains("```python\nprint('hello')\nprint('world')\n```\n\nOutput:\n\n```text\nhello\nworld\n```\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("old\n", markdown, StringComparison.Ordinal);
        Assert.Contains("```text\ndrawing\n[Figure 1: PNG image, 70 bytes]\ndone\n[Table (HTML)]\n'x'\nFile written: out/data.csv (12 bytes).\n```", markdown, StringComparison.Ordinal);
        Assert.Contains("Standard error:\n\n```text\nTraceback (most recent call last):\nZeroDivisionError: division by zero\n```\n\nRun ended: failed (exit code 1).\n", markdown, StringComparison.Ordinal);
        Assert.Contains("```bash\nread x\necho $x\n```\n\nStandard input:\n\n```text\nhi\n```", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_holding_a_fence_gets_a_longer_fence_so_it_cannot_end_the_block()
    {
        var conversation = ExportSamples.Conversation("t", "python", ExportSamples.Code(1, 1, "s = '''\n```\n'''"));

        var markdown = MarkdownExporter.Write(conversation);

        Assert.Contains("````python\ns = '''\n```\n'''\n````\n", markdown, StringComparison.Ordinal);
    }
}
