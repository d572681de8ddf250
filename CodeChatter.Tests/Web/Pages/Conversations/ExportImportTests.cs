using System.Net;
using System.Text;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Tests.Core.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class ExportImportTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    /// <summary>
    /// A conversation with a figure, a table and a value (stored as a run displays them), a real failed run, a
    /// note and a real run in the conversation's session (which has an execution counter).
    /// </summary>
    private static async Task<long> RichConversationAsync(ChatClient person)
    {
        var conversationId = (await person.NewConversationAsync("print('before')", title: "Sales: Q1/Q2 <draft>")).ConversationId;
        await RichOutputRuns.GiveNewestRunOutputsAsync(person, conversationId);
        await person.SendAsync(conversationId, "print('oops')\n1/0");
        await person.PostFormAsync($"/Conversations/{conversationId}", "form#note", new() { ["Note.Text"] = "## Findings\n\nIt *worked*." });
        await person.SendAsync(conversationId, "x = 41\nprint(x + 1)");
        return conversationId;
    }

    private static async Task<ConversationView> ConversationAsync(ChatClient person, long conversationId)
    {
        var userId = (await person.GetUserAsync()).Id;
        return (await person.WithServicesAsync(services =>
            services.GetRequiredService<IConversationQueries>().FindOwnedAsync(userId, conversationId)))!;
    }

    [Fact]
    public async Task The_chat_page_downloads_a_notebook_that_nbformat_validates_with_figure_table_error_note_and_counter()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = await RichConversationAsync(person);
        var page = await person.GetAsync($"/Conversations/{conversationId}");
        var href = page.Single("a#export-ipynb").GetAttribute("href")!;

        using var response = await person.Http.GetAsync(href);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"/Conversations/{conversationId}/export/ipynb", href);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Sales-Q1-Q2-draft.ipynb", response.Content.Headers.ContentDisposition.FileName);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        var notebook = await response.Content.ReadAsByteArrayAsync();
        await NbformatValidator.AssertValidAsync(notebook);
        var cells = JsonDocument.Parse(notebook).RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(["code", "code", "markdown", "code"], cells.Select(c => c.GetProperty("cell_type").GetString()));
        var outputs = cells[0].GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(Convert.ToBase64String(RichOutputRuns.Png), outputs[1].GetProperty("data").GetProperty("image/png").GetString());
        var table = string.Concat(outputs[3].GetProperty("data").GetProperty("text/html").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains("<td>42</td>", table, StringComparison.Ordinal);
        Assert.DoesNotContain("script", table, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", table, StringComparison.Ordinal);
        var error = string.Concat(cells[1].GetProperty("outputs").EnumerateArray()
            .Where(o => o.GetProperty("name").GetString() == "stderr").SelectMany(o => o.GetProperty("text").EnumerateArray()).Select(l => l.GetString()));
        Assert.Contains("ZeroDivisionError", error, StringComparison.Ordinal);
        Assert.Contains("Run ended: failed (exit code 1).", error, StringComparison.Ordinal);
        Assert.Equal("## Findings\n", cells[2].GetProperty("source")[0].GetString());
        Assert.Equal(JsonValueKind.Number, cells[3].GetProperty("execution_count").ValueKind);
        Assert.Equal("42\n", cells[3].GetProperty("outputs")[0].GetProperty("text")[0].GetString());
    }

    [Fact]
    public async Task The_script_and_markdown_downloads_are_attachments_named_after_the_title()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var conversationId = await RichConversationAsync(person);
        var page = await person.GetAsync($"/Conversations/{conversationId}");

        using var script = await person.Http.GetAsync(page.Single("a#export-script").GetAttribute("href"));
        using var markdown = await person.Http.GetAsync(page.Single("a#export-md").GetAttribute("href"));

        Assert.Equal("Sales-Q1-Q2-draft.py", script.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal("text/x-python", script.Content.Headers.ContentType!.MediaType);
        var scriptText = await script.Content.ReadAsStringAsync();
        Assert.Contains("# %%\nprint('oops')\n1/0\n", scriptText, StringComparison.Ordinal);
        Assert.Contains("# %% [markdown]\n# ## Findings\n", scriptText, StringComparison.Ordinal);
        Assert.Equal("Sales-Q1-Q2-draft.md", markdown.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
        var markdownText = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith("# Sales: Q1/Q2 <draft>\n", markdownText, StringComparison.Ordinal);
        Assert.Contains("```python\nx = 41\nprint(x + 1)\n```\n\nOutput:\n\n```text\n42\n```\n", markdownText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_elses_conversation_or_an_unknown_format_is_not_found()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        using var stranger = await ChatClient.RegisterAsync(factory);
        var conversationId = (await owner.NewConversationAsync("print('mine')")).ConversationId;

        foreach (var format in new[] { "ipynb", "script", "md" })
        {
            using var theirs = await stranger.Http.GetAsync($"/Conversations/{conversationId}/export/{format}");
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }
        using var unknown = await owner.Http.GetAsync($"/Conversations/{conversationId}/export/docx");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_exported_notebook_imported_again_gives_the_same_snippets_and_notes_with_nothing_run()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var originalId = await RichConversationAsync(person);
        var notebook = await person.Http.GetByteArrayAsync($"/Conversations/{originalId}/export/ipynb");

        var page = await NotebookUploads.ImportAsync(person, notebook, "ignored-name.ipynb");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEqual(originalId, page.ConversationId);
        Assert.Equal("Sales: Q1/Q2 <draft>", page.Single("#conversation-title").TextContent);
        Assert.Contains("Imported the notebook", page.Single(".status-message, [role=status]").TextContent, StringComparison.Ordinal);
        var original = await ConversationAsync(person, originalId);
        var imported = await ConversationAsync(person, page.ConversationId);
        Assert.Equal(
            original.Messages.Select(m => (m.Sequence, m.Kind, m.Language, m.Code, m.Stdin)),
            imported.Messages.Select(m => (m.Sequence, m.Kind, m.Language, m.Code, m.Stdin)));
        Assert.All(imported.Messages, m => Assert.Empty(m.Replies));
        Assert.Empty(page.All("article.reply"));
    }

    [Fact]
    public async Task A_notebook_with_a_javascript_kernel_imports_as_javascript_and_its_file_name_becomes_the_title()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var notebook = Encoding.UTF8.GetBytes("""
            {"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "javascript", "display_name": "JavaScript (Node.js)", "language": "javascript"}},
             "cells": [{"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["console.log(1)"], "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]},
                       {"cell_type": "raw", "metadata": {}, "source": ["skip me"]}]}
            """);

        var page = await NotebookUploads.ImportAsync(person, notebook, "node-basics.ipynb", formPage: "/Conversations/Import");

        var imported = await ConversationAsync(person, page.ConversationId);
        Assert.Equal("node-basics", imported.Title);
        Assert.Equal("javascript", imported.DefaultLanguage);
        var message = Assert.Single(imported.Messages);
        Assert.Equal((SnippetKind.Code, "javascript", "console.log(1)"), (message.Kind, message.Language, message.Code));
    }

    [Fact]
    public async Task Hostile_markdown_in_an_imported_notebook_arrives_inert_on_the_chat_page()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var notebook = NotebookUploads.Notebook(
            NotebookUploads.MarkdownCell("a", "# Hi\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click me](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">raw link</a>"),
            NotebookUploads.CodeCell("b", "print(1)"));

        var page = await NotebookUploads.ImportAsync(person, notebook);

        var note = page.Single("li.message-note .note-body");
        Assert.Equal("Hi", note.QuerySelector("h1")!.TextContent);
        Assert.Empty(note.QuerySelectorAll("script"));
        // Raw HTML in a note is shown as the text it is, never as markup.
        Assert.Contains("<script>alert(1)</script>", note.TextContent, StringComparison.Ordinal);
        Assert.Empty(note.QuerySelectorAll("img"));
        Assert.All(note.QuerySelectorAll("*"), element =>
        {
            Assert.DoesNotContain(element.Attributes, attribute => attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            Assert.False(element.GetAttribute("href")?.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ?? false);
        });
        Assert.All(page.All("script"), script => Assert.False(string.IsNullOrEmpty(script.GetAttribute("src")), "inline script found"));
    }

    [Theory]
    [InlineData("this is not json", "not valid JSON")]
    [InlineData("""{"name": "package.json", "version": "1.0.0"}""", "not a Jupyter notebook")]
    [InlineData("""{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}""", "Only nbformat 4 notebooks can be imported; this one is nbformat 3")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}""", "The notebook has no cells.")]
    public async Task A_file_that_is_not_a_usable_notebook_comes_back_to_the_form_with_a_clear_error(string content, string error)
    {
        using var person = await ChatClient.RegisterAsync(factory);

        var page = await NotebookUploads.ImportAsync(person, Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.EndsWith("/Conversations/Import", page.Url, StringComparison.Ordinal);
        Assert.Contains(error, page.Single("form#import .field-error").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await person.WithDbAsync(db => db.Conversations.CountAsync(c => c.Owner!.Email == person.Email)));
    }

    [Fact]
    public async Task A_file_over_five_mebibytes_is_refused_with_a_clear_error_without_being_read()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var big = NotebookUploads.Notebook(NotebookUploads.MarkdownCell("a", new string('x', 7 * 1024 * 1024)));

        var page = await NotebookUploads.ImportAsync(person, big);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("larger than 5 MiB", page.Single("form#import .field-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_over_the_snippet_limit_is_refused_naming_the_cell_and_nothing_is_stored()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        var notebook = NotebookUploads.Notebook(
            NotebookUploads.MarkdownCell("a", "fine"),
            NotebookUploads.CodeCell("b", "print(1)"),
            NotebookUploads.CodeCell("c", "x = 1\n" + new string('#', 70 * 1024)));

        var page = await NotebookUploads.ImportAsync(person, notebook);

        Assert.StartsWith("Cell 3 (code):", page.Single("form#import .field-error").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await person.WithDbAsync(db => db.Conversations.CountAsync(c => c.Owner!.Email == person.Email)));
    }

    [Fact]
    public async Task The_import_form_refuses_a_post_without_its_antiforgery_token()
    {
        using var person = await ChatClient.RegisterAsync(factory);
        using var body = new MultipartFormDataContent { { new ByteArrayContent(NotebookUploads.Notebook(NotebookUploads.CodeCell("a", "print(1)"))), "Notebook", "n.ipynb" } };

        using var response = await person.Http.PostAsync("/Conversations/Import", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

