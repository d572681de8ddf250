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
        // In a cluster, the runs in flight in the database belong to the other members, alive or not: a dead
        // runner's are reaped by the live runners, a run nobody can end any more is swept (see RunnerWorker).
        var cluster = app.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>();
        var alone = string.IsNullOrWhiteSpace(cluster?.Redis);
        await DatabaseSetup.PrepareForServerAsync(scope.ServiceProvider, closeInterruptedRuns: alone, app.Lifetime.ApplicationStopping);
    }
}
