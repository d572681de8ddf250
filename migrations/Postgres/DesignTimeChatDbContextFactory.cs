using CodeChatter.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CodeChatter.Migrations.Postgres;

/// <summary>
/// Lets <c>dotnet ef</c> build the context on PostgreSQL without starting the web app. Adding a migration
/// needs no server; the connection string is only for design-time commands that would open one.
/// </summary>
public sealed class DesignTimeChatDbContextFactory : IDesignTimeDbContextFactory<ChatDbContext>
{
    public ChatDbContext CreateDbContext(string[] args)
    {
        // Identity shapes its tables from the app's options (see IdentityStores.MaxLengthForKeys).
        var options = new DbContextOptionsBuilder<ChatDbContext>()
            .UseApplicationServiceProvider(IdentityStores.ModelServices)
            .UseNpgsql("Host=127.0.0.1;Database=codechatter_design_time", postgres => postgres.MigrationsAssembly(typeof(DesignTimeChatDbContextFactory).Assembly.GetName().Name))
            .Options;
        return new ChatDbContext(options);
    }
}
