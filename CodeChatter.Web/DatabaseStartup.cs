using CodeChatter.Data;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web;

internal static class DatabaseStartup
{
    /// <summary>
    /// Migrates the database and closes runs a previous stop cut off (see <see cref="DatabaseInitializer"/>),
    /// then makes sure the Admin role exists so the first account can be given it.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await DatabaseInitializer.InitializeAsync(
            scope.ServiceProvider.GetRequiredService<ChatDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>(),
            app.Lifetime.ApplicationStopping);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Roles.Admin))
        {
            await roles.CreateAsync(new IdentityRole(Roles.Admin));
        }
    }
}
