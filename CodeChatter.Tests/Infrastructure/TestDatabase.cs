using CodeChatter.Core.Operations;
using CodeChatter.Core.Search;
using CodeChatter.Data;
using CodeChatter.Data.Operations;
using CodeChatter.Data.Providers;
using CodeChatter.Data.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Infrastructure;

/// <summary>
/// Which database engine this test run stores into: SQLite unless <c>CODECHATTER_TEST_DATABASE=postgres</c>, which
/// test.sh sets for its second pass so the integration tests run on both providers.
/// </summary>
public static class TestDatabase
{
    public const string VariableName = "CODECHATTER_TEST_DATABASE";

    public static DatabaseProvider Provider { get; } = Environment.GetEnvironmentVariable(VariableName)?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        var other => throw new InvalidOperationException($"{VariableName}={other}: use sqlite or postgres."),
    };

    public static bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// The trait of tests about what only the SQLite default has (its file, its backups, its migrations from older
    /// files); test.sh's PostgreSQL pass leaves them out with <c>--filter Database!=SqliteOnly</c>.
    /// </summary>
    public const string Trait = "Database", SqliteOnly = "SqliteOnly";

    /// <summary>The search the app would use on this context's engine.</summary>
    public static ISearchQueries SearchQueries(ChatDbContext db) =>
        db.Database.IsNpgsql() ? new PostgresSearchQueries(db) : new FtsSearchQueries(db);

    /// <summary>The backup (and size) service the app would use on this context's engine.</summary>
    public static IDatabaseBackup Backup(ChatDbContext db) =>
        db.Database.IsNpgsql() ? new PostgresDatabaseBackup(db) : new SqliteDatabaseBackup(db);

    /// <summary>
    /// The settings that point an app (or a command-line verb) whose data directory is <paramref name="dataDirectory"/>
    /// at its own database: the SQLite file in that directory, or a PostgreSQL database kept for that directory.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SettingsFor(string dataDirectory) => IsPostgres
        ? new Dictionary<string, string>
        {
            [DatabaseProviders.SettingKey] = nameof(DatabaseProvider.Postgres),
            ["ConnectionStrings:Default"] = TempPostgresServer.Shared.DatabaseFor(dataDirectory),
        }
        : new Dictionary<string, string>
        {
            ["ConnectionStrings:Default"] = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "codechatter.db"), DefaultTimeout = 30 }.ToString(),
        };

    /// <summary>The same settings as environment variables, for a child process (<c>Section__Key</c>).</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string dataDirectory) =>
        SettingsFor(dataDirectory).ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);

    /// <summary>Context options on this run's engine for the database of <paramref name="dataDirectory"/>, migrated by the caller.</summary>
    public static DbContextOptions<ChatDbContext> OptionsFor(string dataDirectory)
    {
        var connectionString = SettingsFor(dataDirectory)["ConnectionStrings:Default"];
        var builder = new DbContextOptionsBuilder<ChatDbContext>().UseApplicationServiceProvider(IdentityStores.ModelServices);
        return (IsPostgres
            ? builder.UseNpgsql(connectionString, postgres => postgres.MigrationsAssembly(DataServiceCollectionExtensions.PostgresMigrationsAssembly))
            : builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(DataServiceCollectionExtensions.SqliteMigrationsAssembly))).Options;
    }
}
