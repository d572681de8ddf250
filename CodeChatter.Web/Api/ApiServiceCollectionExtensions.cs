using CodeChatter.Core.Chat.Reading;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CodeChatter.Web.Api;

/// <summary>The JSON API's services: bearer tokens, ProblemDetails, the OpenAPI document.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="ApiTokenAuthenticationHandler"/> scheme (not the default scheme: pages keep the
    /// sign-in cookie), the "Api" policy that names only that scheme, ProblemDetails (for errors too, see
    /// <see cref="ApiExceptionHandler"/>) and OpenAPI.
    /// </summary>
    public static IServiceCollection AddCodeChatterApi(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiEndpoints.PolicyName, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminAreaHiddenResultHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized)
            {
                context.ProblemDetails.Detail ??= "Send a valid personal API token: Authorization: Bearer cc_…";
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Enums go out by their snake_case wire names (succeeded, timed_out, conversation_rerun), as everywhere.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.UseWireNames());
        services.AddOpenApi();
        return services;
    }

    /// <summary>
    /// Status-code pages: ProblemDetails under <c>/api</c>, whatever the client accepts; elsewhere the request
    /// is re-executed as the Error page (<c>/Error/404</c> and so on) inside the layout, with a way back
    /// (pages are read by browsers, which also accept JSON, and should not get it).
    /// </summary>
    public static IApplicationBuilder UseCodeChatterStatusCodePages(this IApplicationBuilder app)
    {
        app.UseWhen(IsApi, api => api.UseStatusCodePages(async statusCode =>
        {
            // Through the ProblemDetails service when the client accepts JSON, as problem JSON all the same when not.
            var context = statusCode.HttpContext;
            await TypedResults.Problem(statusCode: context.Response.StatusCode).ExecuteAsync(context);
        }));
        app.UseWhen(context => !IsApi(context), pages => pages.UseStatusCodePagesWithReExecute("/Error/{0}"));
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}

/// <summary>
/// Hides the admin area: a signed-in person without the Admin role gets the same 404 as a page that does
/// not exist (not a 403 that confirms it does). Someone not signed in is still sent to sign in.
/// </summary>
internal sealed class AdminAreaHiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // Not signed in or not an admin: either way the admin area does not exist for them.
        if ((authorizeResult.Forbidden || authorizeResult.Challenged) && RequiresAdmin(policy))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static bool RequiresAdmin(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
            .Any(requirement => requirement.AllowedRoles.Contains(Roles.Admin));
}
