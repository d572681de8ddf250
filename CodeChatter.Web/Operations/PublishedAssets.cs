using System.Text.Json;

namespace CodeChatter.Web.Operations;

/// <summary>
/// Catches a build output started outside Development. ASP.NET Core's static assets (MapStaticAssets) serve
/// the files their manifest lists, among them the pre-compressed <c>.gz</c>/<c>.br</c> copies, from the web
/// root; only <c>dotnet publish</c> puts them there. Started from <c>bin/</c>, every stylesheet and script then
/// goes out as an empty body (with one warning in the log), so the app refuses to start instead and says to publish.
/// </summary>
internal static class PublishedAssets
{
    /// <summary>Why the app must not start here, or null when every static asset it would serve is in place.</summary>
    public static string? Problem(IWebHostEnvironment environment)
    {
        // Development serves assets from the project and obj/ through the build's runtime manifest.
        if (environment.IsDevelopment()) return null;
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(manifest)) return null;
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var assets = document.RootElement.GetProperty("Endpoints").EnumerateArray()
            .Select(endpoint => endpoint.GetProperty("AssetFile").GetString())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var missing = assets.Where(asset => !environment.WebRootFileProvider.GetFileInfo(asset).Exists).ToList();
        if (missing.Count == 0) return null;
        return $"CodeChatter cannot serve its stylesheets and scripts from here: {missing.Count} of the {assets.Count} static files " +
            $"it would serve (such as {missing[0]}) are not in {environment.WebRootPath}, so browsers would get empty files. " +
            $"This looks like a `dotnet build` output started in the {environment.EnvironmentName} environment. Publish the app " +
            "and start it from the publish folder: `dotnet publish CodeChatter.Web -c Release -o /opt/codechatter/app`, then " +
            "`cd /opt/codechatter/app && dotnet CodeChatter.Web.dll` (see README, Deploy). Or start it with " +
            "ASPNETCORE_ENVIRONMENT=Development.";
    }
}
