using System.CommandLine;
using System.CommandLine.Invocation;
using CodeChatter.Core;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// The command-line verbs of the same binary as the web app
/// (<c>dotnet CodeChatter.Web.dll exec|doctor|users|tokens|backup ...</c>), parsed by System.CommandLine: <c>--help</c>
/// on every verb, and a usage error (an unknown option, a missing one) names the problem, shows the verb's
/// help on stderr and exits 2. Each verb gets the app's configuration and services but no web server; logs go
/// to stderr so stdout stays machine-readable.
/// </summary>
internal static class CommandLineVerbs
{
    private static readonly string[] VerbNames = ["exec", "doctor", "users", "tokens", "backup"];

    public static bool IsVerb(string[] args) => args.Length > 0 && VerbNames.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        using var services = new VerbServices();
        var root = new RootCommand("CodeChatter: the web app, or one of these verbs.")
        {
            ExecVerb.Create(services),
            DoctorVerb.Create(services),
            AccountVerbs.CreateUsers(services),
            AccountVerbs.CreateTokens(services),
            BackupVerb.Create(services),
        };
        // No @file response files: `exec @notes.py` means the file of that name.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            // The errors and the verb's help, both on stderr: stdout is the verbs' output (a token, JSON).
            await parsed.InvokeAsync(new InvocationConfiguration { Output = Console.Error, Error = Console.Error });
            return 2;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                // A UsageException must reach the catch below, and Ctrl+C ends a verb at once, as before.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException exception)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {exception.Message}");
            return 2;
        }
    }
}

/// <summary>
/// The app's services for a verb, built on first use: <c>--help</c> and usage errors need none of them.
/// </summary>
internal sealed class VerbServices : IDisposable
{
    private IHost? _host;

    public IServiceProvider Provider => (_host ??= Build()).Services;

    private static IHost Build()
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
            .AddCodeChatterStores()
            .AddUserManager<ChatUserManager>();
        return builder.Build();
    }

    public void Dispose() => _host?.Dispose();
}

/// <summary>Bad command-line arguments; printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
