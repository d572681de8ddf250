using System.Text;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>Files in and out of a conversation's session: attachments follow the conversation while the session lives.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionFileExchangeTests(SandboxFixture sandbox)
{
    private static InputFile Input(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new InputFile(name, bytes, OutputFingerprint.HashOf(bytes));
    }

    [Fact]
    public async Task Each_message_gives_back_only_the_files_it_made_or_changed()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");

        // Act
        var first = await sessions.RunAsync(key, "open('a.txt', 'w').write('1')\nopen('b.txt', 'w').write('1')");
        var second = await sessions.RunAsync(key, "open('b.txt', 'w').write('22')\nprint(open('a.txt').read())");
        var third = await sessions.RunAsync(key, "print('nothing written')");

        // Assert
        Assert.True(first.Status == RunStatus.Succeeded, first.Stderr);
        Assert.Equal(["a.txt", "b.txt"], first.Outputs.Select(o => o.FileName));
        var changed = Assert.Single(second.Outputs);
        Assert.Equal("b.txt", changed.FileName);
        Assert.Equal("22", Encoding.UTF8.GetString(changed.Data));
        Assert.Equal("1\n", second.Stdout);
        Assert.Empty(third.Outputs);
    }

    [Fact]
    public async Task A_file_attached_or_removed_while_the_session_lives_is_seen_by_its_next_message_read_only()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var key = new SessionKey("ada", 1, "python");
        await sessions.RunAsync(key, "import os\nkept = 42");

        // Act
        var attached = await sessions.RunAsync(key, "print(open('inputs/data.csv').read(), kept)", inputs: [Input("data.csv", "x")]);
        var replaced = await sessions.RunAsync(key, "print(open('inputs/data.csv').read())", inputs: [Input("data.csv", "y")]);
        var writing = await sessions.RunAsync(key, "try:\n    open('inputs/data.csv', 'w')\nexcept OSError as e:\n    print('refused', e.errno)", inputs: [Input("data.csv", "y")]);
        var removed = await sessions.RunAsync(key, "print(os.listdir('inputs'))");

        // Assert
        Assert.Equal("x 42\n", attached.Stdout);
        Assert.Equal("y\n", replaced.Stdout);
        Assert.Equal("refused 30\n", writing.Stdout);
        Assert.Equal("[]\n", removed.Stdout);
        Assert.All([attached, replaced, writing, removed], result => Assert.Empty(result.Outputs));
    }

    [Fact]
    public async Task Another_conversations_session_never_sees_these_attachments()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        await sessions.RunAsync(new SessionKey("ada", 1, "python"), "print(1)", inputs: [Input("secret.txt", "ada's")]);

        // Act
        var other = await sessions.RunAsync(new SessionKey("bob", 2, "python"), "import os\nprint(os.listdir('inputs'))");

        // Assert
        Assert.True(other.Status == RunStatus.Succeeded, other.Stderr);
        Assert.Equal("[]\n", other.Stdout);
    }
}
