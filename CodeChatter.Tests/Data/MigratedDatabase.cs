using CodeChatter.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Data;

/// <summary>A real SQLite file of its own, migrated like production, for tests of the data layer's queries.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codechatter-data-tests-").FullName;

    public ChatDbContext Open() => new(new DbContextOptionsBuilder<ChatDbContext>()
        .UseSqlite(
            new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "codechatter.db"), DefaultTimeout = 30 }.ToString(),
            sqlite => sqlite.MigrationsAssembly(DataServiceCollectionExtensions.SqliteMigrationsAssembly))
        .Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A clock that stays where the test put it.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
