using CodeChatter.Web.Identity;
using CodeChatter.Web.Rendering;
using Microsoft.AspNetCore.RateLimiting;

namespace CodeChatter.Web;

/// <summary>The Razor Pages and who may see them, declared once here rather than on each page.</summary>
public static class PagesServiceCollectionExtensions
{
    /// <summary>
    /// Every page needs a signed-in person except the landing and error pages and the pages of share links; the admin area needs the
    /// Admin policy. Identity's own pages (area "Identity") declare their own rules, but their return address
    /// is always on this site, and sign-in attempts are rate-limited on the Login page's endpoint.
    /// </summary>
    public static IServiceCollection AddCodeChatterPages(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Index");
            options.Conventions.AllowAnonymousToPage("/Error");
            // A share link opens for whoever holds it; the page itself applies Sharing:RequireSignIn.
            options.Conventions.AllowAnonymousToFolder("/ShareView");
            options.Conventions.AuthorizeAreaFolder("Admin", "/", Roles.Admin);
            options.Conventions.AddAreaFolderApplicationModelConvention("Identity", "/", page => page.Filters.Add(new LocalReturnUrlFilter()));
            options.Conventions.AddAreaPageApplicationModelConvention("Identity", "/Account/Login",
                page => page.EndpointMetadata.Add(new EnableRateLimitingAttribute(RateLimiting.SignInPolicy)));
        });
        services.AddSingleton<MarkdownRenderer>();
        return services;
    }
}
