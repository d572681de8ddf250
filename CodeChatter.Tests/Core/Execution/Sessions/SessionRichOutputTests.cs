using System.Text;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Tests.Core.Execution.Sessions;

/// <summary>Plots and rich values in a conversation's session, as Jupyter's inline display shows them.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SessionRichOutputTests(SandboxFixture sandbox)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly ExecutionLimits Generous = new() { WallTimeMs = 30_000, CpuTimeMs = 20_000 };

    private static SessionKey Key() => new("ada", 1, "python");

    [Fact]
    public async Task A_plot_shown_with_plt_show_is_one_PNG_between_the_prints_around_it()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        await sessions.RunAsync(Key(), "import matplotlib.pyplot as plt", limits: Generous);

        // Act
        var result = await sessions.RunAsync(Key(), "print('before')\nplt.plot([1, 3, 2])\nplt.show()\nprint('after')", limits: Generous);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("before\nafter\n", result.Stdout);
        var image = Assert.Single(result.Outputs);
        Assert.Equal(RichMediaTypes.Png, image.MediaType);
        Assert.Equal(PngSignature, image.Data[..8]);
        Assert.Equal("before\n".Length, image.StdoutPosition);
        Assert.Null(result.OutputsOmitted);
    }

    [Fact]
    public async Task A_figure_left_open_is_shown_at_the_end_of_its_message_only()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);

        // Act
        var drawn = await sessions.RunAsync(Key(), "import matplotlib.pyplot as plt\nfigure = plt.figure()\nplt.plot([1, 2])\nprint('drawn')", limits: Generous);
        var next = await sessions.RunAsync(Key(), "print(len(plt.get_fignums()))");

        // Assert
        Assert.True(drawn.Status == RunStatus.Succeeded, drawn.Stderr);
        var image = Assert.Single(drawn.Outputs);
        Assert.Equal(PngSignature, image.Data[..8]);
        Assert.Equal("drawn\n".Length, image.StdoutPosition);
        Assert.Equal("0\n", next.Stdout);
        Assert.Empty(next.Outputs);
    }

    [Fact]
    public async Task A_DataFrame_as_the_last_expression_is_an_HTML_table_and_a_plain_value_keeps_its_Out_line()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);
        await sessions.RunAsync(Key(), "import pandas as pd", limits: Generous);

        // Act
        var table = await sessions.RunAsync(Key(), "frame = pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})\nframe");
        var plain = await sessions.RunAsync(Key(), "len(frame)");

        // Assert
        Assert.True(table.Status == RunStatus.Succeeded, table.Stderr);
        Assert.Equal("", table.Stdout);
        var html = Assert.Single(table.Outputs);
        Assert.Equal(RichMediaTypes.Html, html.MediaType);
        Assert.Contains("<table", Encoding.UTF8.GetString(html.Data));
        Assert.Equal("Out[3]: 2\n", plain.Stdout);
        Assert.Empty(plain.Outputs);
    }

    [Fact]
    public async Task Display_in_a_session_refuses_an_image_that_is_not_a_PNG()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);

        // Act
        var result = await sessions.RunAsync(Key(), "class Fake:\n    def _repr_png_(self):\n        return b'not a png'\ndisplay(Fake(), 'ok')");

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        var text = Assert.Single(result.Outputs);
        Assert.Equal(RichMediaTypes.PlainText, text.MediaType);
        Assert.Equal("'ok'", Encoding.UTF8.GetString(text.Data));
        Assert.Equal("1 image refused (not a PNG)", result.OutputsOmitted);
    }

    [Fact]
    public async Task A_forged_display_record_with_a_wrong_nonce_stays_plain_text()
    {
        // Arrange
        using var sessions = new SessionHarness(sandbox);

        // Act
        var result = await sessions.RunAsync(Key(), "import sys\nsys.stdout.write('\\0CC-DISPLAY:00112233445566778899AABB:text/plain:4\\naGk=\\n')\nNone");

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("\0CC-DISPLAY:00112233445566778899AABB:text/plain:4\naGk=\n", result.Stdout);
        Assert.Empty(result.Outputs);
    }
}
