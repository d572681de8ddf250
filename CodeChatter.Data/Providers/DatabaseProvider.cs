using Microsoft.Extensions.Configuration;

namespace CodeChatter.Data.Providers;

/// <summary>The database engines CodeChatter stores its data in.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file in the data directory, one process.</summary>
    Sqlite,

    /// <summary>The scale-out path: a PostgreSQL server that several web instances and runners share.</summary>
    Postgres,
}

/// <summary>Reads <c>Database:Provider</c>, the one setting that picks the engine.</summary>
public static class DatabaseProviders
{
    public const string SettingKey = "Database:Provider";

    /// <summary>The configured provider; SQLite when nothing is set.</summary>
    /// <exception cref="InvalidOperationException">The setting names no provider CodeChatter has.</exception>
    public static DatabaseProvider From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration[SettingKey];
        if (string.IsNullOrWhiteSpace(name)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(name.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{SettingKey} is \"{name}\"; it must be Sqlite (the default) or Postgres.");
    }
}
