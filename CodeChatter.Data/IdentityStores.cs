using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Data;

/// <summary>Identity's user and role stores on the app's database, so the web layer never names the DbContext.</summary>
public static class IdentityStores
{
    /// <summary>
    /// The length of Identity's login and token keys. Identity shapes its tables from this option, so the server,
    /// the command-line verbs and the migrations' design-time model must all agree on it (AddDefaultIdentity's 128).
    /// </summary>
    public const int MaxLengthForKeys = 128;

    /// <summary>
    /// The app's Identity options for a context built outside the app (the migrations' design time, tests), so that
    /// it builds the model the app builds: pass it to <c>UseApplicationServiceProvider</c>.
    /// </summary>
    public static IServiceProvider ModelServices { get; } = new ServiceCollection()
        .Configure<IdentityOptions>(options => options.Stores.MaxLengthForKeys = MaxLengthForKeys)
        .BuildServiceProvider();

    /// <summary>Keeps Identity's users and roles in the app's own database.</summary>
    public static IdentityBuilder AddCodeChatterStores(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<IdentityOptions>(options => options.Stores.MaxLengthForKeys = MaxLengthForKeys);
        return builder.AddEntityFrameworkStores<ChatDbContext>();
    }
}
