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

    [Fact]
    public async Task A_display_record_split_across_reads_becomes_an_item_at_its_place_in_the_text()
    {
        // Arrange
        var (capture, streamed) = Capture(cap: 1024);
        var rich = new RichOutputCollector(maxImages: 10, maxBytes: 1024);
        capture.ExpectDisplayRecords(Nonce, rich);
        var bytes = Encoding.UTF8.GetBytes($"héllo\n\0CC-DISPLAY:{Nonce}:text/html:12\nPGI+aGk8L2I+\nafter\n");

        // Act
        await capture.ReadAsync(new OneByteAtATimeStream(bytes), CancellationToken.None);

        // Assert
        Assert.Equal("héllo\nafter\n", capture.Text);
        Assert.Equal("héllo\nafter\n", streamed.ToString());
        var item = Assert.Single(rich.Outputs);
        Assert.Equal(RichMediaTypes.Html, item.MediaType);
        Assert.Equal("<b>hi</b>", Encoding.UTF8.GetString(item.Data));
        Assert.Equal("héllo\n".Length, item.StdoutPosition);
        Assert.Null(rich.Omitted);
    }

    [Fact]
    public async Task A_display_record_larger_than_the_cap_is_skipped_unread_and_said()
    {
        // Arrange: 1 KiB of rich output allowed, a 30 KB record announced.
        var (capture, _) = Capture(cap: 1024);
        var rich = new RichOutputCollector(maxImages: 10, maxBytes: 1024);
        capture.ExpectDisplayRecords(Nonce, rich);
        var payload = Convert.ToBase64String(new byte[30_000]);
        var bytes = Encoding.ASCII.GetBytes($"a\0CC-DISPLAY:{Nonce}:text/plain:{payload.Length}\n{payload}\nb");

        // Act
        await capture.ReadAsync(new MemoryStream(bytes), CancellationToken.None);

        // Assert
        Assert.Equal("ab", capture.Text);
        Assert.False(capture.Truncated);
        Assert.Empty(rich.Outputs);
        Assert.Equal("1 item left out (limit 1 KiB of rich output per message)", rich.Omitted);
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
