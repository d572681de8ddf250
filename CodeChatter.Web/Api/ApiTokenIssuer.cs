using System.Security.Cryptography;
using System.Text;
using CodeChatter.Data;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.WebUtilities;

namespace CodeChatter.Web.Api;

/// <summary>
/// Makes and reads personal API tokens: <c>cc_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix (10 characters, ~50 bits)
/// finds the row through a unique index; the secret is 32 bytes from the system's CSPRNG. Only the
/// SHA-256 of the whole token is stored, so a copy of the database gives no usable token.
/// </summary>
public sealed class ApiTokenIssuer(ChatDbContext db, TimeProvider time)
{
    private const string Scheme = "cc";
    private const int PrefixLength = 10;
    private const int SecretBytes = 32;
    // Lower-case letters and digits without look-alikes: safe in URLs, shells and logs.
    private const string PrefixAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>Creates a token for a person and returns it with its stored row; the token is never stored.</summary>
    public async Task<(ApiToken Row, string Token)> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var token = $"{Scheme}_{prefix}_{WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(SecretBytes))}";
        var row = new ApiToken
        {
            UserId = userId, Name = name.Trim(), Prefix = prefix, Hash = Hash(token), CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(row);
        db.AuditEvents.Add(new AuditEvent { ActorId = userId, Action = AuditActions.TokenCreated, Target = userId, Detail = $"{row.Name} ({prefix})" });
        await db.SaveChangesAsync(cancellationToken);
        return (row, token);
    }

    /// <summary>The prefix of a well-formed token, or null for anything else.</summary>
    public static string? PrefixOf(string token)
    {
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
