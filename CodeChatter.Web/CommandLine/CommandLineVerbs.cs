using CodeChatter.Core;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// The command-line verbs of the same binary as the web app
/// (<c>dotnet CodeChatter.Web.dll exec|doctor|users|tokens ...</c>). Each gets the app's configuration and services
/// but no web server; logs go to stderr so stdout stays machine-readable.
/// </summary>
internal static class CommandLineVerbs
{
    private static readonly Dictionary<string, Func<IServiceProvider, string[], Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["exec"] = ExecVerb.RunAsync,
        ["doctor"] = DoctorVerb.RunAsync,
        ["users"] = AccountVerbs.UsersAsync,
        ["tokens"] = AccountVerbs.TokensAsync,
    };

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            // appsettings.json sits beside the dll; the current directory may be anywhere.
            ContentRootPath = AppContext.BaseDirectory,
        });
        // One run per process: a pool of waiting sandboxes would only compete with it.
        builder.Configuration.AddInMemoryCollection([new("Execution:PrestartedSandboxesPerLanguage", "0")]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCodeChatterCore(builder.Configuration);
        // The database as the server finds it: the data directory is resolved against the current
        // directory, the web host's default content root, so both land on the same file.
        builder.Services.AddCodeChatterData(builder.Configuration, Directory.GetCurrentDirectory());
        builder.Services.AddIdentityCore<ChatUser>(options => options.User.RequireUniqueEmail = true)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ChatDbContext>()
            .AddUserManager<ChatUserManager>();
        using var host = builder.Build();
        try
        {
            return await Verbs[args[0]](host.Services, args[1..]);
        }
        catch (UsageException exception)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {exception.Message}");
            return 2;
        }
    }
}

/// <summary>Bad command-line arguments; printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
