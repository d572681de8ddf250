using System.Text;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Tests.Core.Execution.Sandbox;

public class BoundedOutputCaptureTests
{
    private const string Nonce = "0123456789ABCDEF01234567";

    [Fact]
    public async Task An_end_marker_split_across_reads_ends_the_stream_and_is_neither_kept_nor_streamed()
    {
        // Arrange
        var (capture, streamed) = Capture(cap: 1024);
        capture.ExpectEndMarker(Nonce);
        var bytes = Encoding.UTF8.GetBytes($"héllo\n\0CC-END:{Nonce}:3\nafter the end");

        // Act: one byte per read, the worst case for recognising the marker.
        await capture.ReadAsync(new OneByteAtATimeStream(bytes), CancellationToken.None);

        // Assert
        Assert.Equal(3, await capture.Ended);
        Assert.Equal("héllo\n", capture.Text);
        Assert.Equal("héllo\n", streamed.ToString());
    }

    [Fact]
    public async Task NUL_bytes_and_a_marker_with_another_nonce_are_ordinary_output()
    {
        // Arrange
        var (capture, streamed) = Capture(cap: 1024);
        capture.ExpectEndMarker(Nonce);
        var text = "a\0b\0CC-END:FORGED:0\n\0CC-END";

        // Act
        await capture.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);

        // Assert
        Assert.False(capture.Ended.IsCompleted);
        Assert.Equal(text, capture.Text);
        Assert.Equal(text, streamed.ToString());
    }

    [Fact]
    public async Task Without_an_expected_marker_the_marker_text_is_kept_as_output()
    {
        var (capture, _) = Capture(cap: 1024);
        var text = $"\0CC-END:{Nonce}:0\n";

        await capture.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);

        Assert.False(capture.Ended.IsCompleted);
        Assert.Equal(text, capture.Text);
    }

    [Fact]
    public async Task Output_past_the_cap_is_dropped_and_the_cap_is_reported_once()
    {
        // Arrange
        var reached = 0;
        var capture = new BoundedOutputCapture(OutputStream.Stdout, () => 10, () => reached++);

        // Act
        await capture.ReadAsync(new OneByteAtATimeStream(Encoding.UTF8.GetBytes("0123456789abcdef")), CancellationToken.None);

        // Assert
        Assert.True(capture.Truncated);
        Assert.Equal("0123456789", capture.Text);
        Assert.Equal(1, reached);
    }

    private static (BoundedOutputCapture Capture, StringBuilder Streamed) Capture(int cap)
    {
        var streamed = new StringBuilder();
        var capture = new BoundedOutputCapture(OutputStream.Stdout, () => cap, () => { })
        {
            Listener = chunk => streamed.Append(chunk.Text),
        };
        return (capture, streamed);
    }

    private sealed class OneByteAtATimeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
