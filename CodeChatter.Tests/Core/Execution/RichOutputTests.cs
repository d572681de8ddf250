using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// Plots, tables and displayed values of fresh Python runs, through the real sandbox, with the
/// packages the instance offers (numpy, pandas, matplotlib).
/// </summary>
/// <remarks>Runs twice: once on cold sandboxes, once on pre-started ones.</remarks>
public abstract class RichOutputTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly SandboxFixture sandbox;

    protected RichOutputTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    // Importing pandas and matplotlib costs a few seconds of CPU on a busy two-core machine.
    private static readonly ExecutionLimits Generous = new() { WallTimeMs = 30_000, CpuTimeMs = 20_000 };

    [Fact]
    public async Task Numpy_pandas_and_matplotlib_import_inside_the_box()
    {
        // Act
        var result = await sandbox.RunAsync("python",
            "import numpy, pandas, matplotlib\nprint(numpy.arange(3).sum(), len(pandas.DataFrame({'a': [1, 2]})), matplotlib.get_backend())",
            Generous);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("3 2 agg\n", result.Stdout.ToLowerInvariant());
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_plot_shown_with_plt_show_is_one_PNG_between_the_prints_around_it()
    {
        // Arrange
        const string code = """
            import matplotlib.pyplot as plt
            print('before')
            plt.plot([1, 3, 2])
            plt.show()
            print('after')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, Generous);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("before\nafter\n", result.Stdout);
        var image = Assert.Single(result.Outputs);
        Assert.Equal(RichMediaTypes.Png, image.MediaType);
        Assert.Equal(PngSignature, image.Data[..8]);
        Assert.True(image.Data.Length > 1000, $"a real plot, not {image.Data.Length} bytes");
        Assert.Equal("before\n".Length, image.StdoutPosition);
        Assert.Null(result.OutputsOmitted);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_figure_left_open_is_shown_at_the_end()
    {
        // Act
        var result = await sandbox.RunAsync("python", "import matplotlib.pyplot as plt\nplt.bar(['a', 'b'], [1, 2])\nprint('done')", Generous);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("done\n", result.Stdout);
        var image = Assert.Single(result.Outputs);
        Assert.Equal(RichMediaTypes.Png, image.MediaType);
        Assert.Equal(PngSignature, image.Data[..8]);
        Assert.Equal("done\n".Length, image.StdoutPosition);
    }

    [Fact]
    public async Task Display_shows_a_value_by_its_richest_representation()
    {
        // Arrange
        const string code = """
            class Table:
                def _repr_html_(self):
                    return '<table><tr><td>1</td></tr></table>'
            print('a')
            display(Table(), 42)
            print('b')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("a\nb\n", result.Stdout);
        Assert.Collection(result.Outputs,
            html =>
            {
                Assert.Equal(RichMediaTypes.Html, html.MediaType);
                Assert.Equal("<table><tr><td>1</td></tr></table>", System.Text.Encoding.UTF8.GetString(html.Data));
                Assert.Equal(2, html.StdoutPosition);
            },
            text =>
            {
                Assert.Equal(RichMediaTypes.PlainText, text.MediaType);
                Assert.Equal("42", System.Text.Encoding.UTF8.GetString(text.Data));
            });
    }

    [Fact]
    public async Task An_image_that_is_not_a_PNG_is_refused_and_the_reply_says_so()
    {
        // Arrange
        const string code = """
            class Fake:
                def _repr_png_(self):
                    return b'GIF89a not a png'
            display(Fake())
            print('still here')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("still here\n", result.Stdout);
        Assert.Empty(result.Outputs);
        Assert.Equal("1 image refused (not a PNG)", result.OutputsOmitted);
    }

    [Fact]
    public async Task Past_ten_images_the_rest_are_left_out_and_counted()
    {
        // Arrange: twelve tiny images (the host checks only the PNG signature).
        const string code = """
            class Image:
                def __init__(self, n):
                    self.n = n
                def _repr_png_(self):
                    return b'\x89PNG\r\n\x1a\n' + bytes([self.n])
            for n in range(12):
                display(Image(n))
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal(10, result.Outputs.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(n => (byte)n), result.Outputs.Select(image => image.Data[8]));
        Assert.Equal("2 images left out (limit 10 per message)", result.OutputsOmitted);
    }

    [Fact]
    public async Task A_forged_display_record_with_a_wrong_nonce_stays_plain_text()
    {
        // Arrange
        const string code = """
            import sys
            sys.stdout.write('\0CC-DISPLAY:00112233445566778899AABB:text/plain:4\naGk=\n')
            print('after')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("\0CC-DISPLAY:00112233445566778899AABB:text/plain:4\naGk=\nafter\n", result.Stdout);
        Assert.Empty(result.Outputs);
        Assert.Null(result.OutputsOmitted);
    }

    [Fact]
    public async Task A_plain_print_imports_none_of_the_packages()
    {
        // Act
        var result = await sandbox.RunAsync("python", "import sys\nprint(1, 'matplotlib' in sys.modules, 'numpy' in sys.modules, 'pandas' in sys.modules)");

        // Assert
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("1 False False False\n", result.Stdout);
        Assert.Empty(result.Outputs);
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartRichOutputTests(SandboxFixture sandbox) : RichOutputTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedRichOutputTests(SandboxFixture sandbox) : RichOutputTests(sandbox, prestarted: true);
