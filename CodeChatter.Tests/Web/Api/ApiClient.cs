using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.Api;

/// <summary>A script calling the JSON API: no cookies, a bearer token of a person registered through the pages.</summary>
public sealed class ApiClient(ChatClient person, HttpClient http, string token) : IDisposable
{
    public ChatClient Person { get; } = person;

    public HttpClient Http { get; } = http;

    public string Token { get; } = token;

    /// <summary>Registers a person and gives them a token.</summary>
    public static async Task<ApiClient> CreateAsync(ChatAppFactory factory)
    {
        var person = await ChatClient.RegisterAsync(factory);
        var userId = (await person.GetUserAsync()).Id;
        var token = await person.WithServicesAsync(async services =>
            (await services.GetRequiredService<IApiTokens>().CreateAsync(userId, "tests")).Token);
        return new ApiClient(person, WithToken(factory, token), token);
    }

    /// <summary>A cookie-less client sending the given Authorization header (none when null).</summary>
    public static HttpClient WithToken(ChatAppFactory factory, string? token)
    {
        var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = factory.ServerAddress, HandleCookies = false, AllowAutoRedirect = false });
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public Task<HttpResponseMessage> RunAsync(object body) => Http.PostAsJsonAsync("/api/runs", body);

    public async Task<JsonElement> RunOkAsync(string code, string language = "python", long? conversationId = null)
    {
        using var response = await RunAsync(new { language, code, conversationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public void Dispose()
    {
        Http.Dispose();
        Person.Dispose();
    }
}
