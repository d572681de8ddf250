using CliWrap;
using CliWrap.Buffered;

namespace CodeChatter.Tests.Core.Export;

/// <summary>
/// Checks a notebook the way Jupyter would: Debian's python3-nbformat validates it against the nbformat
/// schema after Python's own json module has parsed it. Debian's /usr/bin/python3 on purpose, not whatever
/// python3 comes first on PATH (scripts/prerequisites.sh installs the package there).
/// </summary>
public static class NbformatValidator
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        try:
            import nbformat
        except ImportError:
            print("MISSING-NBFORMAT")
            sys.exit(3)
        with open(sys.argv[1], encoding="utf-8") as f:
            json.load(f)
        nbformat.validate(nbformat.read(sys.argv[1], as_version=4))
        print("valid")
        """;

    /// <summary>Fails the test, with nbformat's reason, unless the notebook is valid.</summary>
    public static async Task AssertValidAsync(byte[] notebook)
    {
        var path = Path.Combine(Path.GetTempPath(), $"codechatter-export-{Guid.NewGuid():N}.ipynb");
        await File.WriteAllBytesAsync(path, notebook);
        try
        {
            if (!File.Exists(Python)) Assert.Fail($"{Python} is missing: apt-get install python3 python3-nbformat");
            var result = await Cli.Wrap(Python).WithArguments(["-c", Script, path])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (result.StandardOutput.Contains("MISSING-NBFORMAT", StringComparison.Ordinal))
            {
                Assert.Fail("Python's nbformat module is missing: apt-get install python3-nbformat (or scripts/prerequisites.sh test)");
            }
            Assert.True(result.ExitCode == 0, $"nbformat rejected the notebook:\n{result.StandardError}");
            Assert.Equal("valid", result.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
