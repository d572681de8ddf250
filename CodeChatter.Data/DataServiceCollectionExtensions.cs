using CodeChatter.Core.Accounts;
using CodeChatter.Core.Admin;
using CodeChatter.Core.Audit;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Attachments;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Data.Accounts;
using CodeChatter.Data.Admin;
using CodeChatter.Data.Attachments;
using CodeChatter.Data.Audit;
using CodeChatter.Data.Providers;
using CodeChatter.Data.Reading;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeChatter.Data;

/// <summary>Registers the database and what Core asks of it: the run store and run queries, the conversation queries and store, the attachment store and storage usage, the quota-checking run admission, the audit log, accounts, tokens, the admin queries, backups and retention.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>The assembly that holds the SQLite migrations (a project of its own, one per provider).</summary>
    public const string SqliteMigrationsAssembly = "CodeChatter.Migrations.Sqlite";

    /// <summary>The assembly that holds the PostgreSQL migrations.</summary>
    public const string PostgresMigrationsAssembly = "CodeChatter.Migrations.Postgres";

    private static readonly SqliteConnectionPragmas ConnectionPragmas = new();

    /// <summary>
    /// Adds <see cref="ChatDbContext"/> on the provider <c>Database:Provider</c> names. SQLite (the default):
    /// <c>ConnectionStrings:Default</c> when set, otherwise <c>codechatter.db</c> in the data directory
    /// (<c>DataDirectory</c>, default <c>data/</c> beside the content root). PostgreSQL: <c>ConnectionStrings:Default</c>,
    /// which must be set.
    /// </summary>
    public static IServiceCollection AddCodeChatterData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = DatabaseProviders.From(configuration);
        var connectionString = ResolveConnectionString(configuration, contentRoot);
        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContext<ChatDbContext>(options => options
                .UseNpgsql(connectionString, postgres => postgres.MigrationsAssembly(PostgresMigrationsAssembly)));
            services.AddScoped<Core.Search.ISearchQueries, Search.PostgresSearchQueries>();
            services.AddScoped<Core.Operations.IDatabaseBackup, Operations.PostgresDatabaseBackup>();
        }
        else
        {
            services.AddDbContext<ChatDbContext>(options => options
                .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(ConnectionPragmas));
            services.AddScoped<Core.Search.ISearchQueries, Search.FtsSearchQueries>();
            services.AddScoped<Core.Operations.IDatabaseBackup, Operations.SqliteDatabaseBackup>();
        }
        services.AddScoped<IRunStore, EfRunStore>();
        services.AddScoped<IInterruptedRuns, EfInterruptedRuns>();
        services.AddScoped<IConversationStore, EfConversationStore>();
        services.AddScoped<Core.Export.IConversationImportStore, EfConversationImportStore>();
        services.AddScoped<IConversationQueries, EfConversationQueries>();
        services.AddScoped<IRunQueries, EfRunQueries>();
        services.AddScoped<IAttachmentStore, EfAttachmentStore>();
        services.AddScoped<IStorageUsage, EfStorageUsage>();
        // Quotas need the database, so the real admission lives here and replaces Core's admit-everything.
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IRunAdmission>();
        services.AddScoped<IRunAdmission, QuotaRunAdmission>();
        services.AddScoped<IAuditLog, EfAuditLog>();
        services.AddScoped<IApiTokens, EfApiTokens>();
        services.AddScoped<IDashboardQueries, EfDashboardQueries>();
        services.AddScoped<IPeopleQueries, EfPeopleQueries>();
        services.AddScoped<IAuditQueries, EfAuditQueries>();
        services.AddScoped<Core.Sharing.IShareLinkStore, Sharing.EfShareLinkStore>();
        services.AddScoped<Core.Operations.IDatabaseProbe, Operations.EfDatabaseProbe>();
        services.AddScoped<Core.Operations.IRunRetention, Operations.EfRunRetention>();
        // The admin rules are Core's; they are registered here because the accounts they change are
        // Identity's (UserManager, which the host registers), reached through IdentityAccountStore.
        services.AddScoped<IAccountStore, IdentityAccountStore>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<LiveSessionAdministration>();
        return services;
    }

    /// <summary>The data directory: keys, the default database.</summary>
    public static string DataDirectory(IConfiguration configuration, string contentRoot) =>
        Path.GetFullPath(configuration["DataDirectory"] ?? Path.Combine(contentRoot, "data"));

    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (DatabaseProviders.From(configuration) == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                $"{DatabaseProviders.SettingKey} is Postgres but ConnectionStrings:Default is not set; set it to the server's " +
                "connection string, e.g. Host=127.0.0.1;Port=5432;Database=codechatter;Username=codechatter;Password=...");
        }
        var directory = DataDirectory(configuration, contentRoot);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "codechatter.db"),
            // Waits for a writer instead of failing at once when two runs finish together.
            DefaultTimeout = 30,
        }.ToString();
    }
}
