using System.Text;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

public class NotebookReaderTests
{
    private static NotebookReadResult Read(string json, string? fileName = "analysis.ipynb") => NotebookReader.Read(Encoding.UTF8.GetBytes(json), fileName);

    private static string Problem(string json) => Read(json).Problem?.Message ?? throw new InvalidOperationException("The notebook was read.");

    [Fact]
    public void Code_cells_become_snippets_markdown_cells_notes_and_raw_cells_and_outputs_are_dropped()
    {
        var read = Read("""
            {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
             "cells": [
               {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "text"]},
               {"cell_type": "raw", "metadata": {}, "source": "raw stuff"},
               {"cell_type": "code", "metadata": {}, "execution_count": 3, "source": "print(1)\r\nprint(2)",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}]},
               {"cell_type": "code", "metadata": {}, "execution_count": null, "source": [], "outputs": []}
             ]}
            """);

        var notebook = read.Notebook!;
        Assert.Equal("analysis", notebook.Title);
        Assert.Equal("python", notebook.Language);
        Assert.Equal(
            [new NotebookCell(1, SnippetKind.Note, "markdown", "# Title\ntext", ""), new NotebookCell(3, SnippetKind.Code, "python", "print(1)\nprint(2)", "")],
            notebook.Cells);
    }

    [Theory]
    [InlineData("""{"kernelspec": {"name": "javascript", "language": "javascript"}}""", "javascript")]
    [InlineData("""{"kernelspec": {"name": "bash", "display_name": "Bash"}}""", "bash")]
    [InlineData("""{"language_info": {"name": "python", "version": "3.11"}}""", "python")]
    [InlineData("""{"kernelspec": {"name": "ir", "language": "R"}}""", "python")]
    [InlineData("""{}""", "python")]
    public void The_language_comes_from_the_kernelspec_or_language_info_and_is_python_otherwise(string metadata, string language)
    {
        var read = Read($$"""{"nbformat": 4, "nbformat_minor": 5, "metadata": {{metadata}}, "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": "x", "outputs": [], "execution_count": null}]}""");

        Assert.Equal(language, read.Notebook!.Language);
        Assert.Equal(language, read.Notebook.Cells[0].Language);
    }

    [Fact]
    public void The_title_comes_from_the_metadata_before_the_file_name()
    {
        var read = Read("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {"title": " Sales "}, "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "x"}]}""", "C:\\Users\\me\\other.ipynb");

        Assert.Equal("Sales", read.Notebook!.Title);
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"hello": "world"}""", "not a Jupyter notebook")]
    [InlineData("""[1, 2]""", "not a Jupyter notebook")]
    [InlineData("""{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}""", "Only nbformat 4 notebooks can be imported; this one is nbformat 3")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}""", "no \"cells\" list")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}""", "The notebook has no cells.")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 5}]}""", "Cell 1 has no readable \"source\"")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", "source": "x"}]}""", "no code or Markdown cells")]
    public void A_file_that_is_not_a_usable_notebook_gets_a_clear_problem(string json, string problem)
    {
        Assert.Contains(problem, Problem(json), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_five_mebibytes_is_refused_without_being_parsed()
    {
        var content = new byte[NotebookReader.MaxBytes + 1];

        var read = NotebookReader.Read(content, "big.ipynb");

        Assert.Null(read.Notebook);
        Assert.Contains("at most 5 MiB", read.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exported_conversation_reads_back_as_the_same_messages()
    {
        var conversation = ExportSamples.Rich();
        var notebook = NotebookExporter.Write(ExportSamples.Source(conversation));

        var read = NotebookReader.Read(notebook, "whatever.ipynb").Notebook!;

        Assert.Equal(conversation.Title, read.Title);
        Assert.Equal(
            conversation.Messages.Select(m => (m.Kind, m.Language, m.Code, m.Stdin)),
            read.Cells.Select(c => (c.Kind, c.Language, c.Text, c.Stdin)));
    }
}
