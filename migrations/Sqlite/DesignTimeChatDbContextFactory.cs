using CodeChatter.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CodeChatter.Migrations.Sqlite;

/// <summary>
/// Lets <c>dotnet ef</c> build the context without starting the web app. The database named here is
/// only used by design-time commands; the app picks its own at run time.
/// </summary>
public sealed class DesignTimeChatDbContextFactory : IDesignTimeDbContextFactory<ChatDbContext>
{
    public ChatDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ChatDbContext>()
            .UseSqlite("Data Source=design-time.db", sqlite => sqlite.MigrationsAssembly(typeof(DesignTimeChatDbContextFactory).Assembly.GetName().Name))
            .Options;
        return new ChatDbContext(options);
    }
}
