using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CodeChatter.Core.Sharing;

/// <summary>
/// The token of a share link: 128 bits from the system's CSPRNG, base64url (22 characters), so it cannot be
/// guessed and fits a URL as it is. It is found by its SHA-256 through a unique index and then compared in
/// fixed time, so neither the lookup nor the comparison tells an attacker how close a guess came.
/// </summary>
public static class ShareTokens
{
    /// <summary>Random bytes in a token: 128 bits.</summary>
    public const int RandomBytes = 16;

    /// <summary>Characters of a token: base64url of <see cref="RandomBytes"/> without padding.</summary>
    public const int Length = 22;

    /// <summary>A new random token.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>Whether <paramref name="token"/> could be a token at all; anything else is not looked up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>What a token is looked up by: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether a presented token is the stored one, in time that does not depend on where they differ.</summary>
    public static bool Matches(string presented, string stored)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(stored);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(stored));
    }
}
