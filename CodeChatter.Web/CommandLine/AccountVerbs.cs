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
    public static async Task<int> UsersAsync(IServiceProvider services, string[] args)
    {
        var options = Parse(args, "create", ["--email", "--password"], ["--admin"], "users create --email E --password P [--admin]");
        await using var scope = services.CreateAsyncScope();
        await PrepareDatabaseAsync(scope.ServiceProvider);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var email = options["--email"]!;
        var user = new ChatUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, options["--password"]!);
        if (!created.Succeeded)
        {
            await Console.Error.WriteLineAsync($"users create: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            return 1;
        }
        if (options.ContainsKey("--admin") && !await users.IsInRoleAsync(user, Roles.Admin))
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

    public static async Task<int> TokensAsync(IServiceProvider services, string[] args)
    {
        var options = Parse(args, "create", ["--email", "--name"], [], "tokens create --email E --name N");
        await using var scope = services.CreateAsyncScope();
        await PrepareDatabaseAsync(scope.ServiceProvider);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>().FindByEmailAsync(options["--email"]!);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"tokens create: there is no account {options["--email"]}.");
            return 1;
        }
        var name = options["--name"]!.Trim();
        if (name.Length is 0 or > 100) throw new UsageException("--name must be 1 to 100 characters.");
        var token = (await scope.ServiceProvider.GetRequiredService<IApiTokens>().CreateAsync(user.Id, name)).Token;
        await Console.Error.WriteLineAsync($"Token '{name}' for {user.Email}; it is shown only this once:");
        Console.WriteLine(token);
        return 0;
    }

    private static Task PrepareDatabaseAsync(IServiceProvider services) => DatabaseSetup.PrepareForCommandLineAsync(services);

    private static Dictionary<string, string?> Parse(string[] args, string subcommand, string[] required, string[] flags, string usage)
    {
        if (args.Length == 0 || args[0] != subcommand) throw new UsageException($"usage: {usage}");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (flags.Contains(args[i])) values[args[i]] = null;
            else if (required.Contains(args[i]) && i + 1 < args.Length) values[args[i]] = args[++i];
            else throw new UsageException($"unexpected argument '{args[i]}'. Usage: {usage}");
        }
        var missing = required.Where(name => !values.ContainsKey(name)).ToList();
        if (missing.Count > 0) throw new UsageException($"missing {string.Join(", ", missing)}. Usage: {usage}");
        return values;
    }
}
