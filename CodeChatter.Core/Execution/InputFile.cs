namespace CodeChatter.Core.Execution;

/// <summary>
/// A file a run sees read-only in its working folder's <c>inputs/</c> (a conversation's attachment).
/// </summary>
/// <param name="Name">
/// Its name: one path component, already made safe by <see cref="Chat.Attachments.FileNames.ForAttachment"/>
/// (no slash, no NUL or control characters, not <c>.</c> or <c>..</c>).
/// </param>
/// <param name="Content">Its bytes.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Content"/>, lowercase hex: a session's copy is only rewritten when it changed.</param>
public sealed record InputFile(string Name, byte[] Content, string Sha256);
