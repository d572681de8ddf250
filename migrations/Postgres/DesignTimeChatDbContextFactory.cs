using CodeChatter.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

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
        var identity = new ServiceCollection()
            .Configure<IdentityOptions>(options => options.Stores.MaxLengthForKeys = IdentityStores.MaxLengthForKeys)
            .BuildServiceProvider();
        var options = new DbContextOptionsBuilder<ChatDbContext>()
            .UseApplicationServiceProvider(identity)
            .UseNpgsql("Host=127.0.0.1;Database=codechatter_design_time", postgres => postgres.MigrationsAssembly(typeof(DesignTimeChatDbContextFactory).Assembly.GetName().Name))
            .Options;
        return new ChatDbContext(options);
    }
}
