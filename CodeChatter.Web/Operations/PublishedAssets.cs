using System.Text.Json;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;

namespace CodeChatter.Web.Operations;

/// <summary>
/// Makes sure every static asset the app would serve is there. ASP.NET Core's static assets (MapStaticAssets)
/// serve the files their manifest lists, among them the pre-compressed <c>.gz</c>/<c>.br</c> copies, from the
/// web root, and only <c>dotnet publish</c> puts them there; Development finds them in the project and obj/
/// through the build's runtime manifest instead. A <c>dotnet build</c> output started in Production used to send
/// every stylesheet and script as an empty body. Now it reads them from the build's sources the way Development
/// does when those are still on the machine, and refuses to start, saying to publish, when they are not.
/// </summary>
internal static class PublishedAssets
{
    /// <summary>
    /// Null when every asset can be served (after pointing the web root at the build's sources if needed);
    /// otherwise why the app must not start.
    /// </summary>
    public static string? Prepare(WebApplication app)
    {
        var environment = app.Environment;
        if (environment.IsDevelopment()) return null;
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(manifest)) return null;
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var assets = document.RootElement.GetProperty("Endpoints").EnumerateArray()
            .Select(endpoint => endpoint.GetProperty("AssetFile").GetString())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        List<string> Missing() => assets.Where(asset => !environment.WebRootFileProvider.GetFileInfo(asset).Exists).ToList();

        var missing = Missing();
        if (missing.Count == 0) return null;
        // A build output still beside its sources: serve them as Development does.
        StaticWebAssetsLoader.UseStaticWebAssets(environment, app.Configuration);
        var stillMissing = Missing();
        if (stillMissing.Count == 0)
        {
            app.Logger.LogWarning("This is a build output, not a publish output: its {Count} static files are served from the " +
                "build's sources and obj/ folder. Deploy with `dotnet publish` (see README, Deploy).", assets.Count);
            return null;
        }
        return $"CodeChatter cannot serve its stylesheets and scripts from here: {stillMissing.Count} of the {assets.Count} static " +
            $"files it would serve (such as {stillMissing[0]}) are not in {environment.WebRootPath}, so browsers would get empty " +
            $"files. This looks like a `dotnet build` output, or an app folder without its wwwroot, started in the " +
            $"{environment.EnvironmentName} environment. Publish the app and start it from the publish folder: " +
            "`dotnet publish CodeChatter.Web -c Release -o /opt/codechatter/app`, then " +
            "`cd /opt/codechatter/app && dotnet CodeChatter.Web.dll` (see README, Deploy).";
    }
}
