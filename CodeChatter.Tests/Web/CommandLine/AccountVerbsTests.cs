using System.Diagnostics;
using System.Net;
using CodeChatter.Data.Entities;
using CodeChatter.Tests.Web.Api;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Tests.Web.CommandLine;

/// <summary>The <c>users create</c> and <c>tokens create</c> verbs, run as the real binary on the test app's database.</summary>
public class AccountVerbsTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunVerbAsync(params string[] args)
    {
        _ = factory.Server; // the app has migrated its database
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CodeChatter.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DataDirectory"] = factory.DataDirectory;
        foreach (var (key, value) in factory.DatabaseEnvironment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private Task<bool> IsAdminAsync(string email) => WithUsersAsync(async users => await users.IsInRoleAsync((await users.FindByEmailAsync(email))!, Roles.Admin));

    private async Task<T> WithUsersAsync<T>(Func<UserManager<ChatUser>, Task<T>> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>());
    }

    [Fact]
    public async Task Users_create_makes_an_account_that_can_sign_in_and_admin_when_asked()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";

        var (exitCode, stdout, _) = await RunVerbAsync("users", "create", "--email", email, "--password", ChatClient.Password, "--admin");

        Assert.Equal(0, exitCode);
        Assert.Contains(email, stdout);
        Assert.True(await IsAdminAsync(email));
        using var client = ChatClient.Anonymous(factory);
        var signedIn = await client.PostFormAsync("/Identity/Account/Login", "form#account", new() { ["Input.Email"] = email, ["Input.Password"] = ChatClient.Password });
        Assert.Equal(email, signedIn.Single("#manage").TextContent);
    }

    [Fact]
    public async Task Tokens_create_prints_only_a_working_token()
    {
        using var person = await ChatClient.RegisterAsync(factory);

        var (exitCode, stdout, stderr) = await RunVerbAsync("tokens", "create", "--email", person.Email, "--name", "ci");

        Assert.Equal(0, exitCode);
        var token = stdout.Trim();
        Assert.Matches("^cc_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$", token);
        Assert.Contains("shown only this once", stderr);
        using var http = ApiClient.WithToken(factory, token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/conversations")).StatusCode);
    }

    [Theory]
    [InlineData("users", "create", "--email", "x@example.com")]
    [InlineData("tokens", "create", "--name", "n")]
    [InlineData("users", "delete")]
    public async Task Bad_usage_exits_2_with_a_message(params string[] args)
    {
        var (exitCode, _, stderr) = await RunVerbAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_for_an_unknown_account_is_refused()
    {
        var (exitCode, stdout, stderr) = await RunVerbAsync("tokens", "create", "--email", "nobody@example.com", "--name", "x");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("no account", stderr);
    }
}
