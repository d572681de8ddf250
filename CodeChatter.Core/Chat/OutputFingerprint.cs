using System.Security.Cryptography;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat;

/// <summary>
/// What a displayed item is, for telling whether two runs showed the same things: its media type and the
/// SHA-256 of its bytes. A plot drawn again from the same data is byte-for-byte the same PNG, so the hash
/// says "same" where a person would. A file is also known by its name: <c>a.csv</c> and <c>b.csv</c> with the
/// same bytes are two different things left behind.
/// </summary>
/// <param name="MediaType">The item's media type, such as <c>image/png</c>; for a file <c>file:</c> and its name.</param>
/// <param name="Sha256">The SHA-256 of its bytes, as lowercase hex.</param>
public sealed record OutputFingerprint(string MediaType, string Sha256)
{
    /// <summary>The fingerprint of an item a run displayed.</summary>
    public static OutputFingerprint Of(RichOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return For(output.MediaType, HashOf(output.Data), output.FileName);
    }

    /// <summary>
    /// The fingerprint of an item from its stored parts. The file name counts only for a file, so images,
    /// HTML and text compare exactly as they did before files existed (whatever name they were given).
    /// </summary>
    /// <param name="mediaType">Its media type.</param>
    /// <param name="sha256">The SHA-256 of its bytes, lowercase hex.</param>
    /// <param name="fileName">For a file, its name; ignored otherwise.</param>
    public static OutputFingerprint For(string mediaType, string sha256, string? fileName) =>
        mediaType == RichMediaTypes.File ? new($"{RichMediaTypes.File}:{fileName}", sha256) : new(mediaType, sha256);

    /// <summary>The SHA-256 of <paramref name="data"/> as lowercase hex, as it is stored.</summary>
    public static string HashOf(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Convert.ToHexStringLower(SHA256.HashData(data));
    }

    /// <summary>Whether two lists hold the same items in the same order.</summary>
    public static bool SameSequence(IReadOnlyList<OutputFingerprint> left, IReadOnlyList<OutputFingerprint> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.SequenceEqual(right);
    }
}
