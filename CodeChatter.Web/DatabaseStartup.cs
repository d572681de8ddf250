using CodeChatter.Cluster;
using CodeChatter.Data;

namespace CodeChatter.Web;

internal static class DatabaseStartup
{
    /// <summary>
    /// Migrates the database, closes runs a previous stop cut off and makes sure the Admin role exists
    /// (see <see cref="DatabaseSetup.PrepareForServerAsync"/>).
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // A cluster's runner stores no run of its own: the runs in flight in the database are web instances' runs.
        var cluster = app.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>();
        var storesRuns = string.IsNullOrWhiteSpace(cluster?.Redis) || cluster.Serves;
        await DatabaseSetup.PrepareForServerAsync(scope.ServiceProvider, storesRuns, app.Lifetime.ApplicationStopping);
    }
}
