using System.Diagnostics;
using System.Net;
using CodeChatter.Data.Operations;
using CodeChatter.Data.Providers;
using CodeChatter.Tests.Infrastructure;

namespace CodeChatter.Tests.Web.Postgres;

/// <summary>
/// What only the PostgreSQL provider does, tested on a real PostgreSQL server in every pass (the provider-neutral
/// behaviour is the whole integration suite, which test.sh's second pass runs on PostgreSQL).
/// </summary>
public sealed class SharedDatabaseTests
{
    [Fact]
    public async Task A_sign_in_on_one_web_instance_holds_on_another_that_shares_the_database()
    {
        var database = $"shared-{Guid.NewGuid():N}";
        await using var first = new PostgresAppFactory(database);
        await using var second = new PostgresAppFactory(database);
        var cookies = new CookieContainer();
        using var onFirst = Client(first, cookies);
        using var onSecond = Client(second, cookies);

        var registered = await onFirst.PostFormAsync("/Identity/Account/Register", "form#registerForm", new()
        {
            ["Input.Email"] = $"{Guid.NewGuid():N}@example.com", ["Input.Password"] = ChatClient.Password, ["Input.ConfirmPassword"] = ChatClient.Password,
        });
        Assert.NotNull(registered.Document.QuerySelector("form#sign-out"));

        // The cookie the first instance signed is read by the second, whose forms (antiforgery) work too.
        var form = await onSecond.GetAsync("/Conversations/New");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.EndsWith("/Conversations/New", form.Url, StringComparison.Ordinal);
        var chat = await onSecond.PostFormAsync(form, "form#compose", new() { ["Input.Language"] = "python", ["Input.Code"] = "print(6 * 7)" });
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Equal("42\n", chat.Single("article.reply pre[data-stream=stdout]").TextContent);

        // And the conversation written through the second is the first's to read.
        var again = await onFirst.GetAsync($"/Conversations/{chat.ConversationId}");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("print(6 * 7)", again.Document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_backup_verb_declines_on_postgres_and_names_the_servers_own_tools()
    {
        await using var app = new PostgresAppFactory($"backup-{Guid.NewGuid():N}");
        _ = app.ServerAddress; // the app has started and migrated its database
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll"), "backup", "--to", Path.Combine(app.DataDirectory, "copy.db") })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DataDirectory"] = app.DataDirectory;
        foreach (var (key, value) in app.PostgresSettings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains(PostgresDatabaseBackup.UsePgDump, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "copy.db")));
        Assert.Equal("", await stdout);
    }

    [Fact]
    public async Task The_admin_data_page_shows_the_size_postgres_reports_for_the_database()
    {
        await using var app = new PostgresAppFactory($"size-{Guid.NewGuid():N}");
        using var admin = await Admin.AdminAccounts.AdminAsync(app);

        var data = await admin.GetAsync("/Admin/Data");

        Assert.Equal(HttpStatusCode.OK, data.Status);
        var bytes = long.Parse(data.Single("[data-figure='database-bytes']").GetAttribute("data-value")!, System.Globalization.CultureInfo.InvariantCulture);
        // An empty migrated PostgreSQL database is several megabytes (its catalogs); SQLite's file would be a few hundred KiB.
        Assert.InRange(bytes, 4_000_000, 200_000_000);
    }

    private static ChatClient Client(ChatAppFactory factory, CookieContainer cookies) =>
        ChatClient.Remote(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true }) { BaseAddress = factory.ServerAddress });

    /// <summary>An app on the run's PostgreSQL server whatever the pass, on the database named <paramref name="database"/>.</summary>
    private sealed class PostgresAppFactory : ChatAppFactory
    {
        public PostgresAppFactory(string database)
        {
            PostgresSettings = new Dictionary<string, string>
            {
                [DatabaseProviders.SettingKey] = nameof(DatabaseProvider.Postgres),
                ["ConnectionStrings:Default"] = TempPostgresServer.Shared.DatabaseFor(database),
            };
            // Real Kestrel: two instances are two servers, as behind a load balancer.
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        }

        public IReadOnlyDictionary<string, string> PostgresSettings { get; }

        protected override IReadOnlyDictionary<string, string> Settings => PostgresSettings;
    }
}
