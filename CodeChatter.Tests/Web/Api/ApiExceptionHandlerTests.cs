using System.Net;
using System.Net.Http.Headers;

namespace CodeChatter.Tests.Web.Api;

public class ApiExceptionHandlerTests(BrokenQuotaAppFactory factory) : IClassFixture<BrokenQuotaAppFactory>
{
    [Fact]
    public async Task A_body_over_the_size_limit_is_a_413_problem()
    {
        using var api = await ApiClient.CreateAsync(factory);
        // Kestrel refuses on the declared length and then closes the connection: a client that waits for
        // "100 Continue" (however slow the server) hears the answer instead of a broken pipe.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = factory.ServerAddress, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", api.Token) },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs")
        {
            Content = new ByteArrayContent(new byte[31_000_000]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            Headers = { ExpectContinue = true },
        };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await ApiClient.ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_failure_inside_the_api_is_a_500_problem_that_neither_leaks_the_cause_nor_promises_anything()
    {
        using var api = await ApiClient.CreateAsync(factory);
        api.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var response = await api.RunAsync(new { language = "python", code = "print(1)" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("SQLite", problem.GetRawText());
        Assert.DoesNotContain("safe", problem.GetRawText());
    }

    [Fact]
    public async Task An_unknown_api_address_is_a_404_problem_even_for_a_client_that_asks_for_html()
    {
        using var http = ApiClient.WithToken(factory, null);
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var response = await http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await ApiClient.ProblemAsync(response)).GetProperty("status").GetInt32());
    }
}
