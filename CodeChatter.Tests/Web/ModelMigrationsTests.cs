using CodeChatter.Data;
using CodeChatter.Data.Providers;
using CodeChatter.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace CodeChatter.Tests.Web;

/// <summary>
/// The model the app builds (with its Identity options) is the model each provider's migrations end at: a change
/// to the entities without a migration for both providers fails here by name, before any app refuses to start.
/// </summary>
public class ModelMigrationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=:memory:")]
    [InlineData(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=never_opened")]
    public void The_apps_model_has_no_change_that_the_providers_migrations_lack(DatabaseProvider provider, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseProviders.SettingKey] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
        }).Build();
        var directory = Directory.CreateTempSubdirectory("codechatter-model-").FullName;
        try
        {
            var services = new ServiceCollection().AddLogging();
            services.AddCodeChatterData(configuration, directory);
            services.AddCodeChatterIdentity(configuration, new Environment(directory));
            using var provided = services.BuildServiceProvider();
            using var scope = provided.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();

            var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model ?? throw new InvalidOperationException("no model snapshot");
            var migrated = db.GetService<IModelRuntimeInitializer>().Initialize(
                snapshot is IMutableModel mutable ? mutable.FinalizeModel() : snapshot, validationLogger: null);
            var differences = db.GetService<IMigrationsModelDiffer>().GetDifferences(
                migrated.GetRelationalModel(), db.GetService<IDesignTimeModel>().Model.GetRelationalModel());

            Assert.True(differences.Count == 0,
                $"{provider}: the model differs from its migrations; add a migration to migrations/{provider}: " +
                string.Join("; ", differences.Select(Describe)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Describe(Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation operation) => operation switch
    {
        Microsoft.EntityFrameworkCore.Migrations.Operations.AlterColumnOperation column =>
            $"{column.Table}.{column.Name}: {column.OldColumn.ColumnType} -> {column.ColumnType}",
        Microsoft.EntityFrameworkCore.Migrations.Operations.CreateTableOperation table => $"new table {table.Name}",
        _ => operation.GetType().Name,
    };

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "CodeChatter.Web";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
