namespace CodeChatter.Core.Export;

/// <summary>A conversation written out, ready to download.</summary>
/// <param name="FileName">A name made from the title, safe on any file system, with the format's extension.</param>
/// <param name="ContentType">The media type to serve it as.</param>
/// <param name="Content">Its bytes (UTF-8 text).</param>
public sealed record ExportedFile(string FileName, string ContentType, byte[] Content);
