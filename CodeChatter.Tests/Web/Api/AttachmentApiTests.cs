using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeChatter.Tests.Web.Pages.Conversations;

namespace CodeChatter.Tests.Web.Api;

public class AttachmentApiTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_file_is_uploaded_listed_downloaded_and_deleted()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();
        var content = Encoding.UTF8.GetBytes("x,y\n1,2\n");

        using var created = await UploadAsync(api, conversationId, "data.csv", content);
        var attachment = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = attachment.GetProperty("id").GetInt64();
        var url = $"/api/conversations/{conversationId}/attachments/{id}";
        var listed = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}/attachments");
        using var download = await api.Http.GetAsync(url);
        using var deleted = await api.Http.DeleteAsync(url);
        var afterwards = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}/attachments");
        using var gone = await api.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(url, created.Headers.Location!.OriginalString);
        Assert.Equal("data.csv", attachment.GetProperty("name").GetString());
        Assert.Equal(content.Length, attachment.GetProperty("size").GetInt64());
        Assert.Equal(conversationId, attachment.GetProperty("conversationId").GetInt64());
        Assert.Equal(url, attachment.GetProperty("url").GetString());
        Assert.False(attachment.GetProperty("replaced").GetBoolean());
        var item = Assert.Single(listed.EnumerateArray());
        Assert.Equal(["conversationId", "createdAt", "id", "name", "size", "url"], item.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(id, item.GetProperty("id").GetInt64());
        await FileDownloadTests.AssertDownloadAsync(download, "data.csv", content);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(afterwards.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task An_upload_of_the_same_name_replaces_the_file()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();

        using var first = await UploadAsync(api, conversationId, "a.txt", [1]);
        using var second = await UploadAsync(api, conversationId, "a.txt", [1, 2]);

        var replaced = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(replaced.GetProperty("replaced").GetBoolean());
        var listed = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}/attachments");
        Assert.Equal(2, Assert.Single(listed.EnumerateArray()).GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task A_file_over_the_limit_is_a_400_with_the_reason()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();

        using var response = await UploadAsync(api, conversationId, "big.bin", new byte[5 * 1024 * 1024 + 1]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Equal("big.bin is larger than 5 MiB, the most one attachment may be.", problem.GetProperty("detail").GetString());
        Assert.Equal("The file was not attached", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_upload_far_over_the_limit_is_a_413_that_says_why()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();

        using var response = await UploadAsync(api, conversationId, "huge.bin", new byte[8 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Equal("Nothing was attached: the upload is larger than 5 MiB, the most one attachment may be.", problem.GetProperty("detail").GetString());
        var listed = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}/attachments");
        Assert.Empty(listed.EnumerateArray());
    }

    [Fact]
    public async Task An_upload_without_a_file_field_is_a_400_naming_the_field_and_one_not_multipart_a_415()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();
        using var wrongField = new MultipartFormDataContent { { new ByteArrayContent([1]), "upload", "a.txt" } };
        using var json = JsonContent.Create(new { name = "a.txt" });

        using var noFile = await api.Http.PostAsync($"/api/conversations/{conversationId}/attachments", wrongField);
        using var notMultipart = await api.Http.PostAsync($"/api/conversations/{conversationId}/attachments", json);

        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(noFile)).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.StatusCode);
        Assert.Equal(415, (await ApiClient.ProblemAsync(notMultipart)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Another_persons_conversation_and_attachments_are_not_found_and_no_token_is_401()
    {
        using var owner = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var conversationId = (await owner.RunOkAsync("print(1)")).GetProperty("conversationId").GetInt64();
        using var created = await UploadAsync(owner, conversationId, "secret.txt", [1, 2, 3]);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var list = $"/api/conversations/{conversationId}/attachments";
        var one = $"{list}/{id}";
        using var anonymousClient = ApiClient.WithToken(factory, null);
        // A signed-in browser's cookie does not authorise the API.
        using var cookieClient = owner.Person.Http;

        using var listed = await stranger.Http.GetAsync(list);
        using var uploaded = await UploadAsync(stranger, conversationId, "planted.txt", [9]);
        using var downloaded = await stranger.Http.GetAsync(one);
        using var deleted = await stranger.Http.DeleteAsync(one);
        using var anonymous = await anonymousClient.GetAsync(one);
        using var withCookie = await cookieClient.GetAsync(one);

        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, uploaded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, downloaded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);
        var still = await owner.Http.GetFromJsonAsync<JsonElement>(list);
        Assert.Equal(["secret.txt"], still.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_attachment_endpoints_and_file_items()
    {
        using var http = factory.CreateClient();

        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        var list = paths.GetProperty("/api/conversations/{id}/attachments");
        Assert.True(list.TryGetProperty("get", out _));
        var upload = list.GetProperty("post");
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(upload.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(upload.GetProperty("responses").TryGetProperty("413", out _));
        var one = paths.GetProperty("/api/conversations/{id}/attachments/{attachmentId}");
        Assert.True(one.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/octet-stream", out _));
        Assert.True(one.TryGetProperty("delete", out _));
        var output = paths.GetProperty("/api/runs/{id}/outputs/{outputId}").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(output.TryGetProperty("image/png", out _));
        Assert.True(output.TryGetProperty("application/octet-stream", out _));
        var item = document.GetProperty("components").GetProperty("schemas").GetProperty("OutputItemView").GetProperty("properties");
        Assert.True(item.TryGetProperty("name", out _));
    }

    private static Task<HttpResponseMessage> UploadAsync(ApiClient api, long conversationId, string name, byte[] content)
    {
        var body = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        return api.Http.PostAsync($"/api/conversations/{conversationId}/attachments", body);
    }
}
