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
        await DatabaseSetup.PrepareForServerAsync(scope.ServiceProvider, app.Lifetime.ApplicationStopping);
    }
}
