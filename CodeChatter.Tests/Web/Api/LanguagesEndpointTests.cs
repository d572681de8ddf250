using System.Net.Http.Json;
using System.Text.Json;

namespace CodeChatter.Tests.Web.Api;

public class LanguagesEndpointTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task Python_lists_its_configured_packages_with_the_installed_versions()
    {
        // Arrange
        using var api = await ApiClient.CreateAsync(factory);

        // Act
        var languages = await api.Http.GetFromJsonAsync<JsonElement>("/api/languages");

        // Assert: numpy, pandas and matplotlib are installed by the test prerequisites, so each has a version.
        var python = languages.EnumerateArray().Single(l => l.GetProperty("id").GetString() == "python");
        var packages = python.GetProperty("packages").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("version").GetString());
        Assert.Equal(["numpy", "pandas", "matplotlib"], packages.Keys.ToArray());
        Assert.All(packages, p => Assert.Matches(@"^\d+\.\d+", p.Value ?? ""));
        var bash = languages.EnumerateArray().Single(l => l.GetProperty("id").GetString() == "bash");
        Assert.Empty(bash.GetProperty("packages").EnumerateArray());
    }
}
