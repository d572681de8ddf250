using CodeChatter.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Data;

/// <summary>What the server and the command line do to the database before they use it.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// For the server's start: migrates and closes runs a previous stop cut off (see <see cref="DatabaseInitializer"/>),
    /// then makes sure the Admin role exists so the first account can be given it.
    /// </summary>
    /// <param name="services">The server's services.</param>
    /// <param name="closeInterruptedRuns">False for a member of a cluster, whose runs in flight may be other members' live runs.</param>
    /// <param name="cancellationToken">Stops preparing.</param>
    public static async Task PrepareForServerAsync(IServiceProvider services, bool closeInterruptedRuns = true, CancellationToken cancellationToken = default)
    {
        await DatabaseInitializer.InitializeAsync(services.GetRequiredService<ChatDbContext>(), services.GetRequiredService<TimeProvider>(), closeInterruptedRuns, cancellationToken);
        await EnsureAdminRoleAsync(services);
    }

    /// <summary>
    /// For a command-line verb: only migrations and the Admin role. The interrupted-run clean-up belongs to
    /// the server's own start, and a server may be running right now.
    /// </summary>
    public static async Task PrepareForCommandLineAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await services.GetRequiredService<ChatDbContext>().Database.MigrateAsync(cancellationToken);
        await EnsureAdminRoleAsync(services);
    }

    private static async Task EnsureAdminRoleAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(AccountRoles.Admin))
        {
            await roles.CreateAsync(new IdentityRole(AccountRoles.Admin));
        }
    }
}
