using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Execution;

public sealed class PackageInventoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"codechatter-packages-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static LanguageCatalog Catalog(params string[] packages)
    {
        var options = new ExecutionOptions();
        options.Languages["python"] = new LanguageDefinition
        {
            DisplayName = "Python 3", FileName = "main.py", Run = ["/usr/bin/python3", "main.py"], Packages = packages,
        };
        return new LanguageCatalog(new OptionsWrapper<ExecutionOptions>(options));
    }

    [Fact]
    public void Versions_come_from_the_installed_metadata_and_a_missing_package_has_none()
    {
        // Arrange: a Debian egg-info folder, a pip dist-info folder and a bare egg-info file.
        var packages = Path.Combine(_root, "dist-packages");
        Directory.CreateDirectory(Path.Combine(packages, "numpy-1.24.2.egg-info"));
        File.WriteAllText(Path.Combine(packages, "numpy-1.24.2.egg-info", "PKG-INFO"), "Metadata-Version: 2.1\nName: numpy\nVersion: 1.24.2\n\nVersion: 9\n");
        Directory.CreateDirectory(Path.Combine(packages, "scikit_learn-1.3.0.dist-info"));
        File.WriteAllText(Path.Combine(packages, "scikit_learn-1.3.0.dist-info", "METADATA"), "Name: scikit-learn\nVersion: 1.3.0\n");
        File.WriteAllText(Path.Combine(packages, "six-1.16.0.egg-info"), "Name: six\nVersion: 1.16.0\n");
        var inventory = new PackageInventory(Catalog("numpy", "scikit-learn", "six", "pandas"), [packages]);

        // Act
        var found = inventory.PackagesOf("python");

        // Assert
        Assert.Equal([("numpy", "1.24.2"), ("scikit-learn", "1.3.0"), ("six", "1.16.0"), ("pandas", (string?)null)], found);
        Assert.Empty(inventory.PackagesOf("cobol"));
    }

    [Fact]
    public void This_machine_has_the_configured_packages_installed()
    {
        // Arrange
        var inventory = new PackageInventory(new LanguageCatalog(new OptionsWrapper<ExecutionOptions>(SandboxFixture.LoadWebOptions())));

        // Act
        var found = inventory.PackagesOf("python");

        // Assert
        Assert.Equal(["numpy", "pandas", "matplotlib"], found.Select(package => package.Name));
        Assert.All(found, package => Assert.Matches(@"^\d+\.\d+", package.Version ?? "not installed (scripts/prerequisites.sh test)"));
    }
}
