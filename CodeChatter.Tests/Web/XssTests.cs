using AngleSharp.Dom;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web;

/// <summary>Whatever a person or a snippet produced reaches the page as text, never as markup.</summary>
public class XssTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private static readonly string[] Payloads =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "</textarea><script>alert(1)</script>",
        "<svg onload=alert(1)>",
    ];

    private const string MarkdownPayload =
        "[click me](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> <svg onload=alert(1)>";

    /// <summary>The page's own scripts are all external files; no script, handler or javascript: link came from a payload.</summary>
    private static void AssertNoInjectedMarkup(ChatClient.Page page)
    {
        Assert.All(page.All("script"), script => Assert.False(string.IsNullOrEmpty(script.GetAttribute("src")), "inline script found"));
        Assert.Empty(page.All("img[src=x], svg"));
        foreach (var element in page.All("*"))
        {
            Assert.DoesNotContain(element.Attributes, attribute => attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            var href = element.GetAttribute("href");
            Assert.False(href?.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ?? false, $"javascript: link in <{element.LocalName}>");
        }
    }

    [Fact]
    public async Task Payloads_sent_as_code_and_printed_to_stdout_and_stderr_are_shown_as_text()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('start')");

        foreach (var payload in Payloads)
        {
            var code = $"import sys\nprint({Python(payload)})\nprint({Python(payload)}, file=sys.stderr)\n# {payload}";
            await client.SendAsync(first.ConversationId, code);
        }
        var page = await client.GetAsync($"/Conversations/{first.ConversationId}");

        AssertNoInjectedMarkup(page);
        var stdout = page.All("pre[data-stream=stdout]").Select(p => p.TextContent).ToList();
        var stderr = page.All("pre[data-stream=stderr]").Select(p => p.TextContent).ToList();
        var sent = page.All("pre.code code").Select(c => c.TextContent).ToList();
        foreach (var payload in Payloads)
        {
            Assert.Contains(payload + "\n", stdout);
            Assert.Contains(payload + "\n", stderr);
            Assert.Contains(sent, c => c.Contains("# " + payload, StringComparison.Ordinal));
        }
        var runs = await client.GetAsync("/Runs");
        AssertNoInjectedMarkup(runs);
    }

    [Fact]
    public async Task Payloads_kept_in_the_compose_form_after_an_error_stay_inside_the_textarea()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('start')");

        foreach (var payload in Payloads)
        {
            var page = await client.SendAsync(first.ConversationId, payload, language: "no-such-language");

            AssertNoInjectedMarkup(page);
            Assert.Equal(payload, page.Single("textarea#code").TextContent.TrimStart('\r', '\n'));
        }
    }

    [Fact]
    public async Task Payloads_as_a_conversation_title_are_shown_as_text()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        foreach (var payload in Payloads)
        {
            var chat = await client.NewConversationAsync("print(1)", title: payload);
            Assert.Equal(payload, chat.Single("#conversation-title").TextContent);
            AssertNoInjectedMarkup(chat);
            var renamed = await client.PostFormAsync($"/Conversations/{chat.ConversationId}/Rename", "form#rename", new() { ["Input.Title"] = payload + " renamed" });
            Assert.Equal(payload + " renamed", renamed.Single("#conversation-title").TextContent);
            AssertNoInjectedMarkup(await client.GetAsync($"/Conversations/{chat.ConversationId}/Delete"));
        }
        var list = await client.GetAsync("/Conversations");
        AssertNoInjectedMarkup(list);
        foreach (var payload in Payloads)
        {
            Assert.Contains(list.All(".conversation-title"), title => title.TextContent == payload + " renamed");
        }
        AssertNoInjectedMarkup(await client.GetAsync("/Runs"));
    }

    [Fact]
    public async Task A_markdown_note_keeps_its_text_but_loses_scripts_handlers_and_javascript_links()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.PostFormAsync(first, "form#note", new() { ["Note.Text"] = MarkdownPayload + "\n\n" + string.Join("\n\n", Payloads) });

        AssertNoInjectedMarkup(page);
        var note = page.Single(".note-body");
        Assert.Contains("click me", note.TextContent);
        Assert.Contains("<script>alert(1)</script>", note.TextContent);
    }

    [Fact]
    public async Task A_payload_as_an_account_name_is_shown_as_text()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var name = "<script>alert(1)</script><img src=x onerror=alert(1)>@example.com";
        // Registration refuses these characters, so the name is written the way an admin tool might.
        await client.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ChatUser>>();
            var user = (await users.FindByEmailAsync(client.Email))!;
            user.UserName = user.Email = name;
            user.NormalizedUserName = user.NormalizedEmail = name.ToUpperInvariant();
            var db = services.GetRequiredService<CodeChatter.Data.ChatDbContext>();
            db.Users.Update(user);
            return await db.SaveChangesAsync();
        });

        foreach (var url in new[] { "/", "/Conversations", "/Runs", "/Identity/Account/Manage", "/Identity/Account/Manage/Email" })
        {
            var page = await client.GetAsync(url);
            AssertNoInjectedMarkup(page);
            Assert.Equal(name, page.Single("#manage").TextContent);
        }
    }

    [Fact]
    public async Task A_payload_typed_as_an_e_mail_on_the_register_page_comes_back_as_text()
    {
        using var client = ChatClient.Anonymous(factory);

        foreach (var payload in Payloads)
        {
            var page = await client.PostFormAsync("/Identity/Account/Register", "form#registerForm", new()
            {
                ["Input.Email"] = payload + "@example.com", ["Input.Password"] = ChatClient.Password, ["Input.ConfirmPassword"] = ChatClient.Password,
            });
            AssertNoInjectedMarkup(page);
        }
    }

    private static string Python(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
