namespace CodeChatter.Core.Execution;

/// <summary>
/// One rich item a run displayed, as Jupyter's inline display does: a matplotlib figure, the richest
/// form of a value (<c>_repr_png_</c>, <c>_repr_html_</c>, else its repr) passed to <c>display()</c> or left
/// as a message's last bare expression. Items keep the order they were shown in, and where they fall in
/// the run's stdout, so a reply can interleave them with the printed text.
/// </summary>
/// <param name="MediaType"><see cref="RichMediaTypes.Png"/>, <see cref="RichMediaTypes.Html"/> or <see cref="RichMediaTypes.PlainText"/>.</param>
/// <param name="Data">
/// The item's bytes: a PNG file (checked to start with the PNG signature), or UTF-8 text. HTML is as the
/// snippet produced it, untrusted: it reaches a page or the API only after HtmlSanitizer.
/// </param>
/// <param name="StdoutPosition">How many characters of the run's stdout had been printed when it was shown.</param>
public sealed record RichOutput(string MediaType, byte[] Data, int StdoutPosition)
{
    /// <summary>
    /// For a <see cref="RichMediaTypes.File"/>: its path relative to the working folder as the box reported it,
    /// made safe for display by <see cref="Chat.Attachments.FileNames.ForOutput"/>. Never a host path: files
    /// are stored as bytes and only ever served as downloads.
    /// </summary>
    public string? FileName { get; init; }
}

/// <summary>The media types a run may display.</summary>
public static class RichMediaTypes
{
    /// <summary>A PNG image (plots, <c>_repr_png_</c>).</summary>
    public const string Png = "image/png";

    /// <summary>HTML (a pandas DataFrame's table); sanitized before it is shown.</summary>
    public const string Html = "text/html";

    /// <summary>A value's repr.</summary>
    public const string PlainText = "text/plain";

    /// <summary>
    /// A file the message left (new or changed) in its working folder: listed with its name and size,
    /// downloadable by the conversation's owner, always as an attachment, never shown inline.
    /// </summary>
    public const string File = "file";

    /// <summary>Whether <paramref name="mediaType"/> is a displayed item (not a file).</summary>
    public static bool IsKnown(string? mediaType) => mediaType is Png or Html or PlainText;
}
