using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

public class ExportFileNamesTests
{
    [Theory]
    [InlineData("Plots & errors: a/b", ".ipynb", "Plots-errors-a-b.ipynb")]
    [InlineData("../../etc/passwd", ".md", "etc-passwd.md")]
    [InlineData("a\"b\r\nContent-Type: x", ".py", "a-b-Content-Type-x.py")]
    [InlineData("日本語", ".py", "conversation-7.py")]
    [InlineData("   ", ".sh", "conversation-7.sh")]
    public void A_title_becomes_a_file_name_with_no_path_quote_or_control_character(string title, string extension, string expected)
    {
        Assert.Equal(expected, ExportFileNames.For(title, 7, extension));
    }

    [Fact]
    public void A_long_title_is_cut_to_eighty_characters()
    {
        Assert.Equal(new string('a', 80) + ".md", ExportFileNames.For(new string('a', 500), 1, ".md"));
    }
}
