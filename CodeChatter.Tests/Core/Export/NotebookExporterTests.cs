using System.Text.Json;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

public class NotebookExporterTests
{
    private static JsonElement Cells(byte[] notebook) => JsonDocument.Parse(notebook).RootElement.GetProperty("cells");

    [Fact]
    public async Task A_conversation_with_prints_an_error_a_note_a_session_run_a_figure_and_a_table_is_a_valid_nbformat_4_notebook()
    {
        var notebook = NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich()));

        await NbformatValidator.AssertValidAsync(notebook);
        var root = JsonDocument.Parse(notebook).RootElement;
        Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
        Assert.Equal(5, root.GetProperty("nbformat_minor").GetInt32());
        Assert.Equal("python3", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("python", root.GetProperty("metadata").GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("Plots & errors: a/b", root.GetProperty("metadata").GetProperty("title").GetString());
        Assert.Equal(
            ["markdown", "code", "code", "code", "code", "code"],
            root.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("cell_type").GetString()));
    }

    [Fact]
    public void Sources_are_lists_of_lines_and_notes_are_markdown_cells_as_written()
    {
        var cells = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())));

        Assert.Equal(["# Heading\n", "\n", "Some *notes*."], cells[0].GetProperty("source").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["print('hello')\n", "print('world')"], cells[1].GetProperty("source").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["snippet-1", "snippet-2"], cells.EnumerateArray().Take(2).Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public void A_code_cell_shows_only_its_latest_run_and_has_no_execution_count_when_it_ran_fresh()
    {
        var cell = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())))[1];

        var output = Assert.Single(cell.GetProperty("outputs").EnumerateArray());
        Assert.Equal("stream", output.GetProperty("output_type").GetString());
        Assert.Equal("stdout", output.GetProperty("name").GetString());
        Assert.Equal(["hello\n", "world\n"], output.GetProperty("text").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(JsonValueKind.Null, cell.GetProperty("execution_count").ValueKind);
    }

    [Fact]
    public void A_session_run_keeps_its_counter_and_its_items_in_the_order_the_reply_showed_them()
    {
        var cell = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())))[2];

        Assert.Equal(2, cell.GetProperty("execution_count").GetInt32());
        var outputs = cell.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(
            ["stream", "display_data", "stream", "display_data", "display_data", "stream"],
            outputs.Select(o => o.GetProperty("output_type").GetString()));
        Assert.Equal(Convert.ToBase64String(ExportSamples.Png), outputs[1].GetProperty("data").GetProperty("image/png").GetString());
        var table = string.Concat(outputs[3].GetProperty("data").GetProperty("text/html").EnumerateArray().Select(l => l.GetString()));
        Assert.StartsWith("SANITIZED:", table, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", table, StringComparison.Ordinal);
        Assert.Equal("'x'", outputs[4].GetProperty("data").GetProperty("text/plain")[0].GetString());
        Assert.Equal("File written: out/data.csv (12 bytes).\n", outputs[5].GetProperty("text")[0].GetString());
    }

    [Fact]
    public void A_failed_run_keeps_its_stderr_and_says_how_it_ended_without_a_made_up_traceback()
    {
        var cell = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())))[3];

        var outputs = cell.GetProperty("outputs").EnumerateArray().ToList();
        Assert.All(outputs, o => Assert.Equal("stderr", o.GetProperty("name").GetString()));
        Assert.DoesNotContain(outputs, o => o.GetProperty("output_type").GetString() == "error");
        Assert.Equal("ZeroDivisionError: division by zero\n", outputs[0].GetProperty("text")[1].GetString());
        Assert.Equal("Run ended: failed (exit code 1).\n", outputs[1].GetProperty("text")[0].GetString());
    }

    [Fact]
    public void A_snippet_in_another_language_keeps_its_language_and_input_in_the_cell_metadata()
    {
        var cells = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())));

        var own = cells[4].GetProperty("metadata").GetProperty("codechatter");
        Assert.Equal("bash", own.GetProperty("language").GetString());
        Assert.Equal("hi\n", own.GetProperty("stdin").GetString());
        Assert.False(cells[1].GetProperty("metadata").TryGetProperty("codechatter", out _));
    }

    [Fact]
    public void A_snippet_whose_only_run_is_in_flight_has_no_outputs()
    {
        var cell = Cells(NotebookExporter.Write(ExportSamples.Source(ExportSamples.Rich())))[5];

        Assert.Empty(cell.GetProperty("outputs").EnumerateArray());
    }

    [Theory]
    [InlineData("javascript", "javascript", "javascript")]
    [InlineData("bash", "bash", "bash")]
    [InlineData("c", "c", "c")]
    public async Task The_kernel_is_the_conversations_language(string language, string kernel, string languageInfo)
    {
        var conversation = ExportSamples.Conversation("t", language, ExportSamples.Code(1, 1, language, "x", "", ExportSamples.Run(1, 1, RunStatus.Succeeded, "out\n")));

        var notebook = NotebookExporter.Write(ExportSamples.Source(conversation));

        await NbformatValidator.AssertValidAsync(notebook);
        var metadata = JsonDocument.Parse(notebook).RootElement.GetProperty("metadata");
        Assert.Equal(kernel, metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal(languageInfo, metadata.GetProperty("language_info").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\n", new[] { "a\n" })]
    [InlineData("a\n\nb", new[] { "a\n", "\n", "b" })]
    public void Lines_keep_their_newlines_and_join_back_to_the_text(string text, string[] lines)
    {
        Assert.Equal(lines, NotebookExporter.SplitLines(text));
        Assert.Equal(text, string.Concat(NotebookExporter.SplitLines(text)));
    }
}

public class NbformatValidatorTests
{
    [Fact]
    public async Task The_validator_itself_rejects_a_notebook_nbformat_would_not_open()
    {
        // A code cell without outputs or execution_count: the check the exports pass can fail.
        var broken = System.Text.Encoding.UTF8.GetBytes("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": []}]}""");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => NbformatValidator.AssertValidAsync(broken));

        Assert.Contains("nbformat rejected the notebook", failure.Message, StringComparison.Ordinal);
    }
}
