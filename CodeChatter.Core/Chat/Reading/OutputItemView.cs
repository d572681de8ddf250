using System.Text;
using System.Text.Json.Serialization;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>
/// One plot, table or value a run displayed, as pages and the API see it: never an image's bytes (those are
/// fetched from their own owner-only address), the text of a text item. In JSON it reads
/// <c>{"type": "image/png", "url": ..., "size": n, "position": p}</c>, <c>{"type": "text/html", "html": ..., "position": p}</c>,
/// <c>{"type": "text/plain", "text": ..., "position": p}</c> or <c>{"type": "file", "name": ..., "url": ..., "size": n, "position": p}</c>.
/// </summary>
/// <param name="Id">The stored item's id (0 for a run never stored).</param>
/// <param name="MediaType">Its media type (<see cref="RichMediaTypes"/>).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="StdoutPosition">How many characters of the run's stdout had been printed when it was shown.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lowercase hex), for same/changed.</param>
/// <param name="Content">
/// For a text item its text as the run produced it; for HTML that is untrusted markup that only reaches a
/// page or the API after the sanitizer (see <see cref="Html"/>). Null for an image or a file.
/// </param>
public sealed record OutputItemView(
    [property: JsonIgnore] long Id,
    [property: JsonPropertyName("type")] string MediaType,
    [property: JsonIgnore] long Size,
    [property: JsonPropertyName("position")] int StdoutPosition,
    [property: JsonIgnore] string Sha256,
    [property: JsonIgnore] string? Content)
{
    /// <summary>Whether it is an image (served from its own address).</summary>
    [JsonIgnore]
    public bool IsImage => MediaType == RichMediaTypes.Png;

    /// <summary>For an image: where its owner fetches it. Set by the surface that shows it (the API).</summary>
    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    /// <summary>Whether it is a file the message left in its working folder (downloaded, never shown inline).</summary>
    [JsonIgnore]
    public bool IsFile => MediaType == RichMediaTypes.File;

    /// <summary>For a file: its name (relative path in the working folder, made safe by <see cref="Attachments.FileNames.ForOutput"/>).</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FileName { get; init; }

    /// <summary>For an image or a file: its size in bytes.</summary>
    [JsonPropertyName("size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ImageSize => IsImage || IsFile ? Size : null;

    /// <summary>
    /// For HTML: the markup after the display sanitizer, set by the surface that shows it. Left out until
    /// then, so unsanitized HTML never reaches JSON.
    /// </summary>
    [JsonPropertyName("html")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Html { get; init; }

    /// <summary>For plain text: the text.</summary>
    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text => MediaType == RichMediaTypes.PlainText ? Content : null;

    /// <summary>What same/changed compares.</summary>
    [JsonIgnore]
    public OutputFingerprint Fingerprint => OutputFingerprint.For(MediaType, Sha256, FileName);

    /// <summary>An item of a result never stored (id 0).</summary>
    public static OutputItemView FromResult(RichOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var isText = output.MediaType is RichMediaTypes.Html or RichMediaTypes.PlainText;
        return new OutputItemView(
            0, output.MediaType, output.Data.LongLength, output.StdoutPosition, OutputFingerprint.HashOf(output.Data),
            isText ? Encoding.UTF8.GetString(output.Data) : null) { FileName = output.FileName };
    }
}

/// <summary>One stored item's bytes, for the owner-only address that serves it.</summary>
/// <param name="Id">The item.</param>
/// <param name="ConversationId">The conversation of its run.</param>
/// <param name="ExecutionId">Its run.</param>
/// <param name="MediaType">Its media type as stored.</param>
/// <param name="Content">Its bytes.</param>
public sealed record OutputContent(long Id, long ConversationId, long ExecutionId, string MediaType, byte[] Content)
{
    /// <summary>For a file: its name (made safe by <see cref="Attachments.FileNames.ForOutput"/>), for the download; null otherwise.</summary>
    public string? FileName { get; init; }
}
