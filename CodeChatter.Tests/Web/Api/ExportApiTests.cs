using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeChatter.Tests.Core.Export;

namespace CodeChatter.Tests.Web.Api;

public class ExportApiTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private static async Task<HttpResponseMessage> ImportAsync(ApiClient api, byte[] content, string fileName = "notebook.ipynb", string field = "file")
    {
        using var body = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/x-ipynb+json");
        body.Add(file, field, fileName);
        return await api.Http.PostAsync("/api/conversations/import", body);
    }

    [Fact]
    public async Task A_conversation_exports_as_a_valid_notebook_with_its_figure_and_sanitized_table()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print('before')")).GetProperty("conversationId").GetInt64();
        await RichOutputRuns.GiveNewestRunOutputsAsync(api.Person, conversationId);
        await api.RunOkAsync("import sys\nprint('bad', file=sys.stderr)\nsys.exit(3)", conversationId: conversationId);

        using var response = await api.Http.GetAsync($"/api/conversations/{conversationId}/export?format=ipynb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ipynb+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".ipynb", response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        var notebook = await response.Content.ReadAsByteArrayAsync();
        await NbformatValidator.AssertValidAsync(notebook);
        var cells = JsonDocument.Parse(notebook).RootElement.GetProperty("cells");
        var figure = cells[0].GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("output_type").GetString() == "display_data"
            && o.GetProperty("data").TryGetProperty("image/png", out _));
        Assert.Equal(Convert.ToBase64String(RichOutputRuns.Png), figure.GetProperty("data").GetProperty("image/png").GetString());
        Assert.DoesNotContain("<script", cells.GetRawText(), StringComparison.Ordinal);
        var stderr = cells[1].GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("text").GetRawText()).ToList();
        Assert.Contains(stderr, text => text.Contains("bad", StringComparison.Ordinal));
        Assert.Contains(stderr, text => text.Contains("Run ended: failed (exit code 3).", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("py", "text/x-python", ".py", "# %%\n")]
    [InlineData("md", "text/markdown", ".md", "```python\nprint(1)\n```")]
    public async Task A_conversation_exports_as_a_script_or_markdown(string format, string mediaType, string extension, string expected)
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();

        using var response = await api.Http.GetAsync($"/api/conversations/{conversationId}/export?format={format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(extension, response.Content.Headers.ContentDisposition!.FileName, StringComparison.Ordinal);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_elses_conversation_is_not_found_an_unknown_format_is_a_bad_request_and_no_token_is_unauthorized()
    {
        using var owner = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var conversationId = (await owner.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();
        using var anonymousClient = ApiClient.WithToken(factory, null);

        using var theirs = await stranger.Http.GetAsync($"/api/conversations/{conversationId}/export?format=ipynb");
        using var unknown = await owner.Http.GetAsync($"/api/conversations/{conversationId}/export?format=docx");
        using var missing = await owner.Http.GetAsync($"/api/conversations/{conversationId}/export");
        using var anonymous = await anonymousClient.GetAsync($"/api/conversations/{conversationId}/export?format=ipynb");
        using var cookieOnly = await owner.Person.Http.GetAsync($"/api/conversations/{conversationId}/export?format=ipynb");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("format", (await ApiClient.ProblemAsync(unknown)).GetProperty("errors").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cookieOnly.StatusCode);
    }

    [Fact]
    public async Task An_imported_notebook_is_201_with_the_conversation_as_get_returns_it()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var sourceId = (await api.RunOkAsync("print('a')\nprint('b')")).GetProperty("conversationId").GetInt64();
        await api.RunOkAsync("echo hi", language: "bash", conversationId: sourceId);
        var notebook = await api.Http.GetByteArrayAsync($"/api/conversations/{sourceId}/export?format=ipynb");

        using var response = await ImportAsync(api, notebook);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/api/conversations/{id}", response.Headers.Location!.OriginalString);
        var fetched = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}");
        Assert.Equal(fetched.GetRawText(), created.GetRawText());
        var source = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{sourceId}");
        static IEnumerable<string> Messages(JsonElement c) => c.GetProperty("snippets").EnumerateArray()
            .Select(s => $"{s.GetProperty("kind")}/{s.GetProperty("language")}/{s.GetProperty("code")}");
        Assert.Equal(Messages(source), Messages(created));
        Assert.All(created.GetProperty("snippets").EnumerateArray(), s => Assert.Empty(s.GetProperty("executions").EnumerateArray()));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"cells": []}""", "not a Jupyter notebook")]
    [InlineData("""{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}""", "nbformat 3")]
    public async Task A_bad_notebook_is_a_400_problem_naming_the_file(string content, string detail)
    {
        using var api = await ApiClient.CreateAsync(factory);

        using var response = await ImportAsync(api, Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Contains(detail, problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_five_mebibytes_or_in_the_wrong_field_is_a_400_problem_and_a_body_not_multipart_a_415()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var big = NotebookUploads.Notebook(NotebookUploads.MarkdownCell("a", new string('x', 5 * 1024 * 1024)));

        using var tooLarge = await ImportAsync(api, big);
        using var farTooLarge = await ImportAsync(api, NotebookUploads.Notebook(NotebookUploads.MarkdownCell("a", new string('x', 9 * 1024 * 1024))));
        using var wrongField = await ImportAsync(api, NotebookUploads.Notebook(NotebookUploads.CodeCell("a", "print(1)")), field: "notebook");
        using var json = await api.Http.PostAsJsonAsync("/api/conversations/import", new { file = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("larger than 5 MiB", (await ApiClient.ProblemAsync(tooLarge)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, farTooLarge.StatusCode);
        Assert.Contains("larger than a notebook can be", (await ApiClient.ProblemAsync(farTooLarge)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongField.StatusCode);
        Assert.Contains("'file'", (await ApiClient.ProblemAsync(wrongField)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The endpoint declares multipart/form-data, so routing turns anything else away as 415, as problem JSON.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(415, (await ApiClient.ProblemAsync(json)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_describes_export_and_import()
    {
        using var api = await ApiClient.CreateAsync(factory);

        var document = await api.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/conversations/{id}/export").TryGetProperty("get", out var export));
        Assert.Contains(export.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format");
        Assert.True(paths.GetProperty("/api/conversations/import").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
    }
}
