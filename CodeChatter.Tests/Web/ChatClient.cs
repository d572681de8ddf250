using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web;

/// <summary>
/// A browser without JavaScript: keeps cookies, follows redirects, reads pages with AngleSharp and posts
/// forms the way a browser would, with every field the form already holds (its antiforgery token included).
/// </summary>
public sealed class ChatClient(ChatAppFactory factory, HttpClient http) : IDisposable
{
    public const string Password = "Correct-horse-9";

    private static readonly HtmlParser Parser = new();

    public HttpClient Http { get; } = http;

    public ChatAppFactory Factory { get; } = factory;

    public string Email { get; private set; } = "";

    /// <summary>A client of a server in another process (<see cref="ServerProcess"/>): no access to its services.</summary>
    public static ChatClient Remote(HttpClient http) => new(null!, http);

    public static ChatClient Anonymous(ChatAppFactory factory) =>
        new(factory, factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.ServerAddress, AllowAutoRedirect = true, HandleCookies = true }));

    /// <summary>Registers a new account through the Register page; registering signs it in.</summary>
    public static async Task<ChatClient> RegisterAsync(ChatAppFactory factory, string? email = null)
    {
        var client = Anonymous(factory);
        client.Email = email ?? $"{Guid.NewGuid():N}@example.com";
        var page = await client.PostFormAsync("/Identity/Account/Register", "form#registerForm", new()
        {
            ["Input.Email"] = client.Email, ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password,
        });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("form#sign-out"));
        return client;
    }

    /// <summary>Gets a page and parses it.</summary>
    public async Task<Page> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        return await Page.ReadAsync(response);
    }

    /// <summary>Gets a page, then posts the form matching <paramref name="formSelector"/> with some fields set.</summary>
    public async Task<Page> PostFormAsync(string url, string formSelector, Dictionary<string, string>? fields = null)
    {
        var page = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await PostFormAsync(page, formSelector, fields);
    }

    /// <summary>
    /// Posts a form of an already loaded page with some fields set; to <paramref name="address"/> instead of the
    /// form's action when given (an address HttpClient would otherwise tidy up, such as one ending in "/.").
    /// </summary>
    public Task<Page> PostFormAsync(Page page, string formSelector, Dictionary<string, string>? fields = null, Uri? address = null) =>
        PostFormAsync(page, FindForm(page, formSelector), fields, address);

    /// <summary>
    /// Presses a submit button of an already loaded page as a browser does: posts the form the button belongs to
    /// (the one around it, or the one its <c>form</c> attribute names) with the button's own name and value.
    /// </summary>
    public Task<Page> PressAsync(Page page, string buttonSelector, Dictionary<string, string>? fields = null)
    {
        var (form, pressed) = Pressed(page, buttonSelector, fields);
        return PostFormAsync(page, form, pressed, null);
    }

    /// <summary>Presses a submit button the way the page's script does: its form, with the button's name and value, to the form's start address.</summary>
    public Task<HttpResponseMessage> PressAsScriptAsync(Page page, string buttonSelector, Dictionary<string, string>? fields = null)
    {
        var (form, pressed) = Pressed(page, buttonSelector, fields);
        return PostFormAsScriptAsync(form, pressed);
    }

    private static (IHtmlFormElement Form, Dictionary<string, string> Fields) Pressed(Page page, string buttonSelector, Dictionary<string, string>? fields)
    {
        var button = page.Document.QuerySelector<IHtmlButtonElement>(buttonSelector)
            ?? throw new InvalidOperationException($"No button '{buttonSelector}' on {page.Url}.");
        var form = button.GetAttribute("form") is { Length: > 0 } formId
            ? page.Document.GetElementById(formId) as IHtmlFormElement
            : button.Closest("form") as IHtmlFormElement;
        if (form is null) throw new InvalidOperationException($"The button '{buttonSelector}' on {page.Url} belongs to no form.");
        var pressed = new Dictionary<string, string>(fields ?? []);
        if (!string.IsNullOrEmpty(button.Name)) pressed.TryAdd(button.Name, button.Value);
        return (form, pressed);
    }

    private async Task<Page> PostFormAsync(Page page, IHtmlFormElement form, Dictionary<string, string>? fields, Uri? address)
    {
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url : form.GetAttribute("action")!;
        using var response = await Http.PostAsync(address ?? new Uri(action, UriKind.RelativeOrAbsolute), new FormUrlEncodedContent(FormValues(form, fields)));
        return await Page.ReadAsync(response);
    }

    /// <summary>
    /// Posts a form the way the page's script does (<c>fetch(data-start-url, { body: new FormData(form) })</c>):
    /// multipart, to the form's start address, asking for JSON.
    /// </summary>
    public Task<HttpResponseMessage> PostFormAsScriptAsync(Page page, string formSelector, Dictionary<string, string>? fields = null) =>
        PostFormAsScriptAsync(FindForm(page, formSelector), fields);

    private async Task<HttpResponseMessage> PostFormAsScriptAsync(IHtmlFormElement form, Dictionary<string, string>? fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in FormValues(form, fields)) content.Add(new StringContent(value), name);
        using var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("data-start-url")) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        return await Http.SendAsync(request);
    }

    /// <summary>
    /// Posts a multipart form of an already loaded page the way a browser does with a file chosen in its
    /// <paramref name="fileField"/> (every other field as the form holds it, the antiforgery token included);
    /// to <paramref name="address"/> instead of the form's action when given.
    /// </summary>
    public async Task<Page> PostFileFormAsync(Page page, string formSelector, string fileField, string fileName, byte[] content, Uri? address = null)
    {
        var form = FindForm(page, formSelector);
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url : form.GetAttribute("action")!;
        using var body = new MultipartFormDataContent();
        foreach (var (name, value) in FormValues(form, null).Where(pair => pair.Key != fileField)) body.Add(new StringContent(value), name);
        // As a browser writes the part's header: the name quoted as it is (HttpClient refuses some names a browser sends).
        var file = new ByteArrayContent(content);
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{fileField}\"; filename=\"{fileName.Replace("\"", "%22", StringComparison.Ordinal)}\"");
        body.Add(file);
        using var response = await Http.PostAsync(address ?? new Uri(action, UriKind.RelativeOrAbsolute), body);
        return await Page.ReadAsync(response);
    }

    private static IHtmlFormElement FindForm(Page page, string formSelector) =>
        page.Document.QuerySelector<IHtmlFormElement>(formSelector)
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Url}.");

    private static List<KeyValuePair<string, string>> FormValues(IHtmlFormElement form, Dictionary<string, string>? fields)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                case IHtmlInputElement { Type: "submit" or "button" }:
                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    values.Add(new(input.Name, input.Value));
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    values.Add(new(textArea.Name, textArea.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    values.Add(new(select.Name, select.Value ?? ""));
                    break;
            }
        }
        foreach (var (name, value) in fields ?? [])
        {
            values.RemoveAll(pair => pair.Key == name);
            values.Add(new(name, value));
        }
        return values;
    }

    /// <summary>Starts a conversation with a first snippet; returns the conversation page it lands on.</summary>
    public Task<Page> NewConversationAsync(string code, string language = "python", string title = "") =>
        PostFormAsync("/Conversations/New", "form#compose", new() { ["Title"] = title, ["Input.Language"] = language, ["Input.Code"] = code });

    /// <summary>Sends code to a conversation through its compose form.</summary>
    public Task<Page> SendAsync(long conversationId, string code, string language = "python", string stdin = "") =>
        PostFormAsync($"/Conversations/{conversationId}", "form#compose", new() { ["Input.Language"] = language, ["Input.Code"] = code, ["Input.Stdin"] = stdin });

    /// <summary>Runs code with the application's own services (to look into the database, to change a person).</summary>
    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<ChatUser> GetUserAsync() => WithServicesAsync(async services =>
        (await services.GetRequiredService<UserManager<ChatUser>>().FindByEmailAsync(Email))!);

    public Task<T> WithDbAsync<T>(Func<ChatDbContext, Task<T>> action) =>
        WithServicesAsync(services => action(services.GetRequiredService<ChatDbContext>()));

    public void Dispose() => Http.Dispose();

    /// <summary>A response: its status, final address and parsed HTML.</summary>
    public sealed record Page(HttpStatusCode Status, string Url, string Html, IHtmlDocument Document)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new Page(response.StatusCode, response.RequestMessage!.RequestUri!.PathAndQuery, html, Parser.ParseDocument(html));
        }

        public IElement Single(string selector) =>
            Document.QuerySelector(selector) ?? throw new InvalidOperationException($"Nothing matches '{selector}' on {Url}.");

        public IReadOnlyList<IElement> All(string selector) => Document.QuerySelectorAll(selector).ToList();

        /// <summary>The id of the conversation a chat page shows.</summary>
        public long ConversationId => long.Parse(Single("#chat").GetAttribute("data-conversation-id")!);
    }
}
