using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Pages.Conversations;

public class ChatTests(RoomForSessionsAppFactory factory) : IClassFixture<RoomForSessionsAppFactory>
{
    [Fact]
    public async Task I_see_what_my_code_printed_as_literal_text()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("print(\"<b>hi</b>\")");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var reply = page.Single("article.reply");
        Assert.Equal("succeeded", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Equal("<b>hi</b>\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Null(reply.QuerySelector("pre[data-stream=stdout] b"));
        Assert.Equal("print(\"<b>hi</b>\")", page.Single("pre.code code[data-language=python]").TextContent);
    }

    [Fact]
    public async Task A_snippet_that_raises_shows_its_traceback_apart_from_stdout()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('before')");

        var page = await client.SendAsync(first.ConversationId, "print('out')\nraise ValueError('boom')");

        var reply = page.All("article.reply")[^1];
        Assert.Equal("failed", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Equal("out\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.Contains("Traceback (most recent call last)", reply.QuerySelector("pre[data-stream=stderr]")!.TextContent);
        Assert.Contains("ValueError: boom", reply.QuerySelector("pre[data-stream=stderr]")!.TextContent);
        Assert.Contains("1", reply.QuerySelector(".run-facts")!.TextContent);
    }

    [Fact]
    public async Task Standard_input_reaches_the_snippet()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.SendAsync(first.ConversationId, "print(input().upper())", stdin: "shout\n");

        Assert.Equal("SHOUT\n", page.All("pre[data-stream=stdout]")[^1].TextContent);
    }

    [Fact]
    public async Task A_timed_out_run_keeps_what_it_printed()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");
        // The wall limit (10 s) stops a sleeping snippet; a busy loop hits the 5 s CPU limit first.
        var page = await client.SendAsync(first.ConversationId, "print('started', flush=True)\nwhile True: pass");

        var reply = page.All("article.reply")[^1];
        Assert.Equal("timed_out", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Equal("started\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        Assert.NotNull(reply.QuerySelector(".partial-output"));
    }

    [Fact]
    public async Task Empty_code_is_refused_with_a_message_and_nothing_is_stored()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.SendAsync(first.ConversationId, "   ");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Write some code first.", page.Single("[data-valmsg-for='Input.Code']").TextContent);
        var snippets = await client.WithDbAsync(db => db.Snippets.CountAsync(s => s.ConversationId == first.ConversationId));
        Assert.Equal(1, snippets);
    }

    [Fact]
    public async Task An_unknown_language_is_refused_and_the_code_typed_is_kept()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.SendAsync(first.ConversationId, "print('keep me')", language: "cobol");

        Assert.Contains("Unknown language 'cobol'", page.Single("[data-valmsg-for='Input.Language']").TextContent);
        Assert.Equal("print('keep me')", page.Single("textarea#code").TextContent.Trim());
    }

    [Fact]
    public async Task Code_over_the_size_limit_is_refused_and_kept_in_the_form()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");
        var code = "# " + new string('x', 70_000);

        var page = await client.SendAsync(first.ConversationId, code);

        Assert.Contains("the limit is 65,536", page.Single("[data-valmsg-for='Input.Code']").TextContent);
        Assert.Equal(code, page.Single("textarea#code").TextContent.TrimStart('\n', '\r'));
    }

    [Fact]
    public async Task Code_sent_from_the_form_runs_with_the_line_endings_it_was_typed_with()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        // A browser sends every line break of a textarea as CRLF; bash reads a CR as part of the line.
        var page = await client.SendAsync(first.ConversationId, "if true; then\r\n  echo inside\r\nfi\r\ncat | head -5\r\n", language: "bash", stdin: "typed\r\nlines\r\n");

        var reply = page.All("article.reply")[^1];
        Assert.Equal("", reply.QuerySelector("pre[data-stream=stderr]")?.TextContent ?? "");
        Assert.Equal("succeeded", reply.QuerySelector(".status")!.GetAttribute("data-status"));
        Assert.Equal("inside\ntyped\nlines\n", reply.QuerySelector("pre[data-stream=stdout]")!.TextContent);
        var snippet = await client.WithDbAsync(db => db.Snippets.SingleAsync(s => s.ConversationId == first.ConversationId && s.Sequence == 2));
        Assert.Equal("if true; then\n  echo inside\nfi\ncat | head -5\n", snippet.Code);
        Assert.Equal("typed\nlines\n", snippet.Stdin);
    }

    [Fact]
    public async Task Code_or_input_with_a_NUL_character_is_refused_by_field_and_nothing_is_stored()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        // Sent as the page's script sends it (multipart): a plain form post of %00 never reaches the page,
        // the framework's form reader refuses it with a bare 400.
        using var code = await client.PostFormAsScriptAsync(first, "form#compose", new()
        {
            ["Input.Language"] = "bash", ["Input.Code"] = "echo visible\n\0echo HIDDEN-RAN\n" + new string('#', 700),
        });
        using var stdin = await client.PostFormAsScriptAsync(first, "form#compose", new()
        {
            ["Input.Language"] = "bash", ["Input.Code"] = "cat", ["Input.Stdin"] = new string('x', 600) + "\0",
        });

        Assert.Equal(HttpStatusCode.BadRequest, code.StatusCode);
        Assert.Contains("NUL character", (await code.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("Input.Code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, stdin.StatusCode);
        Assert.Contains("NUL character", (await stdin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("Input.Stdin").GetString());
        var snippets = await client.WithDbAsync(db => db.Snippets.CountAsync(s => s.ConversationId == first.ConversationId));
        Assert.Equal(1, snippets);
    }

    [Fact]
    public async Task Output_with_a_NUL_character_is_stored_whole_and_shown_with_the_NUL_made_visible()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        // Assigned: in a session a last bare expression's value would be printed too (Out[1]: 701).
        var page = await client.NewConversationAsync("import sys\n_ = sys.stdout.write('\\0' + 'A' * 700)");

        var stored = await client.WithDbAsync(db => db.Executions.SingleAsync(e => e.Snippet!.ConversationId == page.ConversationId));
        Assert.Equal("\0" + new string('A', 700), stored.Stdout);
        Assert.Equal("\u2400" + new string('A', 700), page.Single("article.reply pre[data-stream=stdout]").TextContent);
    }

    [Fact]
    public async Task Rerunning_a_snippet_adds_a_run_and_folds_the_older_one_away()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('again')");
        var snippetId = first.Single("li.message-code").GetAttribute("data-snippet-id")!;

        var page = await client.PressAsync(first, $"#snippet-{snippetId} button.rerun-button");

        var message = page.Single($"#snippet-{snippetId}");
        Assert.Single(message.QuerySelectorAll(":scope > article.reply"));
        Assert.Single(message.QuerySelectorAll("details.older-replies article.reply"));
        Assert.Equal("same", message.QuerySelector(":scope > article.reply [data-comparison]")!.TextContent);
        var runs = await client.WithDbAsync(db => db.Executions.CountAsync(e => e.SnippetId == long.Parse(snippetId)));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Rerunning_the_conversation_runs_every_snippet_in_order_and_marks_each_same()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print('one')");
        await client.SendAsync(first.ConversationId, "import sys\nprint('two', file=sys.stderr)\nsys.exit(3)");
        var before = await client.GetAsync($"/Conversations/{first.ConversationId}");

        var page = await client.PostFormAsync(before, "form#rerun-all");

        var badges = page.All("li.message-code > article.reply [data-comparison]").Select(b => b.TextContent).ToList();
        Assert.Equal(["same", "same"], badges);
        Assert.Contains("2 same, 0 changed", page.Single(".status-message").TextContent);
        var triggers = await client.WithDbAsync(db => db.Executions
            .Where(e => e.Snippet!.ConversationId == first.ConversationId && e.Trigger == ExecutionTrigger.ConversationRerun)
            .OrderBy(e => e.Id).Select(e => e.Snippet!.Sequence).ToListAsync());
        Assert.Equal([1, 2], triggers);
    }

    [Fact]
    public async Task A_rerun_whose_output_changed_is_marked_changed_with_a_line_diff()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("import uuid\nprint('fixed')\nprint(uuid.uuid4())");

        var page = await client.PostFormAsync(first, "form#rerun-all");

        var reply = page.Single("li.message-code > article.reply");
        Assert.Equal("changed", reply.QuerySelector("[data-comparison]")!.TextContent);
        var diff = reply.QuerySelector(".diff pre[data-stream=stdout]")!;
        Assert.Equal("fixed", diff.QuerySelector(".diff-unchanged")!.TextContent.Trim());
        Assert.Single(diff.QuerySelectorAll(".diff-removed"));
        Assert.Single(diff.QuerySelectorAll(".diff-added"));
    }

    [Fact]
    public async Task A_markdown_note_is_shown_formatted_and_never_run()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.PostFormAsync(first, "form#note", new() { ["Note.Text"] = "# Heading\n\nSome **bold** text" });

        var note = page.Single("li.message-note .note-body");
        Assert.Equal("Heading", note.QuerySelector("h1")!.TextContent);
        Assert.Equal("bold", note.QuerySelector("strong")!.TextContent);
        var runs = await client.WithDbAsync(db => db.Executions.CountAsync(e => e.Snippet!.ConversationId == first.ConversationId));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task An_empty_note_is_refused_with_a_message()
    {
        using var client = await ChatClient.RegisterAsync(factory);
        var first = await client.NewConversationAsync("print(1)");

        var page = await client.PostFormAsync(first, "form#note", new() { ["Note.Text"] = "" });

        Assert.Contains("Write some note first.", page.Single("[data-valmsg-for='Note.Text']").TextContent);
    }

    [Fact]
    public async Task The_snippet_and_its_result_are_in_the_database()
    {
        using var client = await ChatClient.RegisterAsync(factory);

        var page = await client.NewConversationAsync("print(6 * 7)");

        var run = await client.WithDbAsync(db => db.Executions.Include(e => e.Snippet)
            .SingleAsync(e => e.Snippet!.ConversationId == page.ConversationId));
        Assert.Equal("print(6 * 7)", run.Snippet!.Code);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("42\n", run.Stdout);
        Assert.NotNull(run.FinishedAt);
        Assert.Null(run.Detail);
    }
}
