using System.CommandLine;
using System.Globalization;
using CodeChatter.Core.Operations;
using CodeChatter.Data;
using CodeChatter.Data.Operations;
using CodeChatter.Data.Providers;
using Microsoft.Data.Sqlite;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// <c>backup --to FILE</c>: a consistent copy of the database while the server goes on serving (SQLite's
/// <c>VACUUM INTO</c>, see <see cref="IDatabaseBackup"/>), checked with <c>integrity_check</c> before it is
/// named FILE. Prints one line on stdout; exits 1 when the copy fails its check (it is then left beside FILE
/// as a <c>.partial</c> file for a look) or there is no database to copy.
/// </summary>
internal static class BackupVerb
{
    public static Command Create(VerbServices services)
    {
        var to = new Option<string>("--to") { Description = "The file to write the backup to; it must not exist yet.", Required = true, HelpName = "FILE" };
        var backup = new Command("backup", "Copy the database to FILE while the server runs, and check the copy.") { to };
        backup.SetAction((parsed, cancellationToken) => BackupAsync(services, parsed.GetRequiredValue(to), cancellationToken));
        return backup;
    }

    private static async Task<int> BackupAsync(VerbServices services, string destination, CancellationToken cancellationToken)
    {
        var provider = services.Provider;
        if (DatabaseProviders.From(provider.GetRequiredService<IConfiguration>()) == DatabaseProvider.Postgres)
        {
            await Console.Error.WriteLineAsync($"backup: {PostgresDatabaseBackup.UsePgDump}");
            return 1;
        }
        var database = new SqliteConnectionStringBuilder(DataServiceCollectionExtensions.ResolveConnectionString(
            provider.GetRequiredService<IConfiguration>(), Directory.GetCurrentDirectory())).DataSource;
        if (!File.Exists(database))
        {
            await Console.Error.WriteLineAsync($"backup: there is no database at {database} (set DataDirectory or ConnectionStrings__Default as the server has them).");
            return 1;
        }
        if (File.Exists(destination)) throw new UsageException($"{Path.GetFullPath(destination)} already exists; a backup never overwrites a file.");
        await using var scope = provider.CreateAsyncScope();
        BackupReport report;
        try
        {
            report = await scope.ServiceProvider.GetRequiredService<IDatabaseBackup>().BackupAsync(destination, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"backup: could not back {database} up to {Path.GetFullPath(destination)}: {exception.Message}");
            return 1;
        }
        if (!report.IsSound)
        {
            await Console.Error.WriteLineAsync($"backup: the copy of {database} failed its integrity check ({report.IntegrityCheck}); it is left at {report.Path}.");
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Backed up {database} to {report.Path}: {report.Bytes} bytes, {report.Runs} runs, {report.Conversations} conversations, " +
            $"{report.People} people, in {report.Elapsed.TotalSeconds:0.00} s; integrity_check: ok."));
        return 0;
    }
}
