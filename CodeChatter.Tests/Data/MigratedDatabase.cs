using CodeChatter.Data;
using CodeChatter.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Data;

/// <summary>A real database of its own, migrated like production, for tests of the data layer's queries.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codechatter-data-tests-").FullName;

    /// <summary>A context on this run's engine (SQLite, or PostgreSQL in test.sh's second pass).</summary>
    public ChatDbContext Open() => new(TestDatabase.OptionsFor(_directory));

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
