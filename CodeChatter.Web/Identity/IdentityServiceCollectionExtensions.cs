using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Data.Providers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web.Identity;

/// <summary>Sign-in: Identity's default UI on the app's database, with the app's rules.</summary>
public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Adds Identity (no e-mail confirmation: no mail server is assumed; lockout after 5 failures),
    /// the "Admin" role and policy, and Data Protection keys kept in the data directory so sign-ins
    /// survive restarts.
    /// </summary>
    public static IServiceCollection AddCodeChatterIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddDefaultIdentity<ChatUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddCodeChatterStores()
            .AddUserManager<ChatUserManager>()
            .AddSignInManager<ChatSignInManager>();

        // Re-read the person on every request, so disabling someone signs them out at once rather than
        // after the default 30 minutes. It costs one lookup by primary key per request.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "CodeChatter.Auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
        });

        var protection = services.AddDataProtection().SetApplicationName("CodeChatter");
        if (DatabaseProviders.From(configuration) == DatabaseProvider.Postgres)
        {
            // Every web instance on the shared database signs and reads cookies with the same keys, so a sign-in
            // on one instance holds on the others.
            protection.PersistKeysToCodeChatterDatabase();
        }
        else
        {
            var keys = Path.Combine(DataServiceCollectionExtensions.DataDirectory(configuration, environment.ContentRootPath), "keys");
            Directory.CreateDirectory(keys);
            protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));
        return services;
    }
}
