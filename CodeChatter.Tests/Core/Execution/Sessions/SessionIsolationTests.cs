using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>Sessions of different people, and of one person's different conversations, share nothing.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionIsolationTests(SandboxFixture sandbox)
{
    private const string Plant = """
        import subprocess
        secret = OWNER
        open('secret.txt', 'w').write(OWNER)
        child = subprocess.Popen(['sleep', SECONDS])
        print('planted')
        """;

    private const string Look = """
        import os
        names = 'secret' in globals()
        files = sorted(os.listdir('.'))
        commands = sorted(open(f'/proc/{p}/cmdline').read().replace('\0', ' ').strip() for p in os.listdir('/proc') if p.isdigit())
        print(names, files, [c for c in commands if c.startswith('sleep')], os.getuid())
        """;

    [Fact]
    public async Task People_and_conversations_never_see_each_others_names_files_or_processes()
    {
        // Arrange: the same conversation id for two people, and a second conversation of one of them.
        using var sessions = new SessionHarness(sandbox);
        var ada = new SessionKey("ada", 7, "python");
        var bob = new SessionKey("bob", 7, "python");
        var adaOther = new SessionKey("ada", 8, "python");
        foreach (var key in new[] { ada, bob, adaOther })
        {
            var seconds = key == ada ? "301" : key == bob ? "302" : "303";
            var planted = await sessions.RunAsync(key, Plant.Replace("OWNER", $"'{key.UserId}-{key.ConversationId}'").Replace("SECONDS", $"'{seconds}'"));
            Assert.Equal("planted\n", planted.Stdout);
        }

        // Act
        var adaSees = await sessions.RunAsync(ada, Look);
        var bobSees = await sessions.RunAsync(bob, Look);
        var otherSees = await sessions.RunAsync(adaOther, Look);
        var values = await sessions.RunAsync(bob, "print(secret, open('secret.txt').read())");

        // Assert: each sees only its own.
        Assert.StartsWith("True ['inputs', 'secret.txt'] ['sleep 301']", adaSees.Stdout);
        Assert.StartsWith("True ['inputs', 'secret.txt'] ['sleep 302']", bobSees.Stdout);
        Assert.StartsWith("True ['inputs', 'secret.txt'] ['sleep 303']", otherSees.Stdout);
        Assert.Equal("bob-7 bob-7\n", values.Stdout);
        var live = sessions.Runner.List();
        Assert.Equal(3, live.Select(session => session.Id).Distinct().Count());
        Assert.Equal(["ada", "ada", "bob"], live.Select(session => session.UserId).Order());
        Assert.Single(sessions.Runner.ListFor("ada", 7));
        Assert.Empty(sessions.Runner.ListFor("carol", 7));
    }

    [Fact]
    public async Task Each_session_runs_under_its_own_host_uid()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        var first = new SessionKey("ada", 1, "bash");
        var second = new SessionKey("bob", 1, "bash");

        // Act: a marker process in each, found from the host.
        await sessions.RunAsync(first, "sleep 301 &");
        await sessions.RunAsync(second, "sleep 302 &");
        var owners = new Dictionary<string, int>();
        // A background job may not have started its program yet when the message is over.
        Assert.True(SpinWait.SpinUntil(() => FindSleeps(owners) == 2, TimeSpan.FromSeconds(5)), "the sleeps were not found");

        // Assert
        Assert.NotEqual(owners["sleep 301"], owners["sleep 302"]);
        if (sandbox.Sandbox.RunningAsRoot)
        {
            Assert.All(owners.Values, uid => Assert.InRange(uid, sandbox.Options.SandboxUidBase, sandbox.Options.SandboxUidBase + 199));
        }
    }

    private static int FindSleeps(Dictionary<string, int> owners)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var command = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                if (command is not ("sleep 301" or "sleep 302")) continue;
                var uid = File.ReadLines(Path.Combine(directory, "status")).First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
                    .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                owners[command] = int.Parse(uid, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return owners.Count;
    }
}
