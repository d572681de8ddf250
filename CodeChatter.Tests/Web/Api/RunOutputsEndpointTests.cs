using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CodeChatter.Tests.Web.Api;

public class RunOutputsEndpointTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task A_run_lists_its_items_in_order_with_an_image_address_sanitized_html_and_text()
    {
        using var api = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print('before')")).GetProperty("conversationId").GetInt64();
        var runId = await RichOutputRuns.GiveNewestRunOutputsAsync(api.Person, conversationId);

        var run = await api.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var conversation = await api.Http.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversationId}");

        var outputs = run.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(["image/png", "text/html", "text/plain"], outputs.Select(o => o.GetProperty("type").GetString()));
        Assert.Equal([7, 14, RichOutputRuns.Stdout.Length], outputs.Select(o => o.GetProperty("position").GetInt32()));
        Assert.Equal(["position", "size", "type", "url"], outputs[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches($"^/api/runs/{runId}/outputs/[0-9]+$", outputs[0].GetProperty("url").GetString());
        Assert.Equal(RichOutputRuns.Png.Length, outputs[0].GetProperty("size").GetInt64());
        Assert.Equal(["html", "position", "type"], outputs[1].EnumerateObject().Select(p => p.Name).Order());
        var html = outputs[1].GetProperty("html").GetString()!;
        Assert.Contains("<td>42</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", html, StringComparison.Ordinal);
        Assert.Equal(["position", "text", "type"], outputs[2].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(RichOutputRuns.Value, outputs[2].GetProperty("text").GetString());
        Assert.Equal(RichOutputRuns.Omitted, run.GetProperty("outputsOmitted").GetString());
        var inConversation = conversation.GetProperty("snippets")[0].GetProperty("executions")[0].GetProperty("outputs");
        Assert.Equal(run.GetProperty("outputs").GetRawText(), inConversation.GetRawText());
    }

    [Fact]
    public async Task An_image_is_served_to_its_owner_as_png_and_is_not_found_for_anyone_else()
    {
        using var api = await ApiClient.CreateAsync(factory);
        using var stranger = await ApiClient.CreateAsync(factory);
        var conversationId = (await api.RunOkAsync("print('before')")).GetProperty("conversationId").GetInt64();
        var runId = await RichOutputRuns.GiveNewestRunOutputsAsync(api.Person, conversationId);
        var run = await api.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var url = run.GetProperty("outputs")[0].GetProperty("url").GetString()!;
        var imageId = long.Parse(url[(url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        using var mine = await api.Http.GetAsync(url);
        using var theirs = await stranger.Http.GetAsync(url);
        using var htmlItem = await api.Http.GetAsync($"/api/runs/{runId}/outputs/{imageId + 1}");
        using var anonymousClient = ApiClient.WithToken(factory, null);
        using var anonymous = await anonymousClient.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("image/png", mine.Content.Headers.ContentType!.ToString());
        Assert.Equal(["nosniff"], mine.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(RichOutputRuns.Png, await mine.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, htmlItem.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_image_endpoint()
    {
        using var http = factory.CreateClient();

        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/runs/{id}/outputs/{outputId}", out var path), paths.EnumerateObject().Select(p => p.Name).Aggregate((a, b) => a + " " + b));
        Assert.True(path.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("image/png", out _));
        var run = document.GetProperty("components").GetProperty("schemas").GetProperty("RunView").GetProperty("properties");
        Assert.True(run.TryGetProperty("outputs", out _));
        Assert.True(run.TryGetProperty("outputsOmitted", out _));
        var item = document.GetProperty("components").GetProperty("schemas").GetProperty("OutputItemView").GetProperty("properties");
        Assert.Equal(["html", "name", "position", "size", "text", "type", "url"], item.EnumerateObject().Select(p => p.Name).Order());
    }
}
