using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CodeChatter.Core.Accounts;

/// <summary>
/// The shape of a personal API token: <c>cc_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix (10 characters, ~50 bits)
/// finds the row through a unique index; the secret is 32 bytes from the system's CSPRNG. Only the
/// SHA-256 of the whole token is stored, so a copy of the database gives no usable token.
/// </summary>
public static class ApiTokenFormat
{
    private const string Scheme = "cc";
    private const int PrefixLength = 10;
    private const int SecretBytes = 32;
    // Lower-case letters and digits without look-alikes: safe in URLs, shells and logs.
    private const string PrefixAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>A new random token and its prefix.</summary>
    public static (string Prefix, string Token) New()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        return (prefix, $"{Scheme}_{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}");
    }

    /// <summary>The prefix of a well-formed token, or null for anything else.</summary>
    public static string? PrefixOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('_', 3);
        return parts.Length == 3 && parts[0] == Scheme && parts[1].Length == PrefixLength && parts[2].Length > 0
            ? parts[1]
            : null;
    }

    /// <summary>What is stored of a token.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether a presented token matches a stored hash, in time that does not depend on where they differ.</summary>
    public static bool Matches(string token, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);
}
