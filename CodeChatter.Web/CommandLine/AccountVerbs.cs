using System.CommandLine;
using CodeChatter.Core.Accounts;
using CodeChatter.Core.Audit;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// <c>users create --email E --password P [--admin]</c> and <c>tokens create --email E --name N</c>: make the
/// first admin or a script's token without a browser. Stdout gets only the result (the token, alone on its
/// line, so <c>TOKEN=$(… tokens create …)</c> works); explanations go to stderr.
/// </summary>
internal static class AccountVerbs
{
    public static Command CreateUsers(VerbServices services)
    {
        var email = new Option<string>("--email") { Description = "The account's e-mail address (also its user name).", Required = true, HelpName = "E" };
        var password = new Option<string>("--password") { Description = "Its password.", Required = true, HelpName = "P" };
        var admin = new Option<bool>("--admin") { Description = "Make it an admin." };
        var create = new Command("create", "Make an account without the browser.") { email, password, admin };
        create.SetAction(parsed => UsersCreateAsync(services.Provider, parsed.GetRequiredValue(email), parsed.GetRequiredValue(password), parsed.GetValue(admin)));
        return new Command("users", "Manage accounts.") { create };
    }

    public static Command CreateTokens(VerbServices services)
    {
        var email = new Option<string>("--email") { Description = "The e-mail address of the account the token acts for.", Required = true, HelpName = "E" };
        var name = new Option<string>("--name") { Description = "A name for the token (1 to 100 characters), to tell it apart later.", Required = true, HelpName = "N" };
        var create = new Command("create", "Make a personal API token and print it, alone on stdout (it is shown only once).") { email, name };
        create.SetAction(parsed => TokensCreateAsync(services.Provider, parsed.GetRequiredValue(email), parsed.GetRequiredValue(name)));
        return new Command("tokens", "Manage personal API tokens.") { create };
    }

    public static async Task<int> UsersCreateAsync(IServiceProvider services, string email, string password, bool admin)
    {
        await using var scope = services.CreateAsyncScope();
        await PrepareDatabaseAsync(scope.ServiceProvider);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var user = new ChatUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await Console.Error.WriteLineAsync($"users create: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            return 1;
        }
        if (admin && !await users.IsInRoleAsync(user, Roles.Admin))
        {
            var promoted = await users.AddToRoleAsync(user, Roles.Admin);
            if (!promoted.Succeeded)
            {
                await Console.Error.WriteLineAsync($"users create: the account was made but not made admin: {string.Join(" ", promoted.Errors.Select(e => e.Description))}");
                return 1;
            }
        }
        var isAdmin = await users.IsInRoleAsync(user, Roles.Admin);
        await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(
            new AuditRecord(AuditActions.UserCreated, null, user.Id, $"{email} from the command line{(isAdmin ? ", admin" : "")}"));
        Console.WriteLine($"Created {email}{(isAdmin ? " (admin)" : "")}.");
        return 0;
    }

    public static async Task<int> TokensCreateAsync(IServiceProvider services, string email, string tokenName)
    {
        await using var scope = services.CreateAsyncScope();
        await PrepareDatabaseAsync(scope.ServiceProvider);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"tokens create: there is no account {email}.");
            return 1;
        }
        var name = tokenName.Trim();
        if (name.Length is 0 or > 100) throw new UsageException("--name must be 1 to 100 characters.");
        var token = (await scope.ServiceProvider.GetRequiredService<IApiTokens>().CreateAsync(user.Id, name)).Token;
        await Console.Error.WriteLineAsync($"Token '{name}' for {user.Email}; it is shown only this once:");
        Console.WriteLine(token);
        return 0;
    }

    private static Task PrepareDatabaseAsync(IServiceProvider services) => DatabaseSetup.PrepareForCommandLineAsync(services);
}
