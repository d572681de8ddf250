using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CodeChatter.Data;

/// <summary>Identity's user and role stores on the app's database, so the web layer never names the DbContext.</summary>
public static class IdentityStores
{
    /// <summary>Keeps Identity's users and roles in the app's own database.</summary>
    public static IdentityBuilder AddCodeChatterStores(this IdentityBuilder builder) =>
        builder.AddEntityFrameworkStores<ChatDbContext>();
}
