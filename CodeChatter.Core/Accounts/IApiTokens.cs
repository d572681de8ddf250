namespace CodeChatter.Core.Accounts;

/// <summary>One of a person's API tokens as the tokens page lists it; never the token itself.</summary>
/// <param name="Id">The token's row id.</param>
/// <param name="Name">The name its owner gave it.</param>
/// <param name="Prefix">The public part that tells tokens apart (<c>cc_&lt;prefix&gt;_…</c>).</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="LastUsedAt">When it last authenticated a request (UTC, to the minute), or null.</param>
/// <param name="RevokedAt">When it was revoked (UTC), or null while it works.</param>
public sealed record ApiTokenRow(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A token just made: its row, and the token, which exists only here and must be shown once.</summary>
public sealed record IssuedApiToken(ApiTokenRow Row, string Token);

/// <summary>What a presented token turned out to be.</summary>
public enum ApiTokenCheckOutcome
{
    /// <summary>A live token of an enabled person.</summary>
    Valid,

    /// <summary>No stored token matches.</summary>
    Unknown,

    /// <summary>The token was revoked.</summary>
    Revoked,

    /// <summary>The token's owner is disabled.</summary>
    Disabled,
}

/// <summary>The answer of <see cref="IApiTokens.CheckAsync"/>; the person is set only when the token is valid.</summary>
/// <param name="Outcome">Whether the token may be used, and if not why.</param>
/// <param name="UserId">The owner's id, for a valid token.</param>
/// <param name="UserName">The owner's user name, for a valid token.</param>
public sealed record ApiTokenCheck(ApiTokenCheckOutcome Outcome, string? UserId = null, string? UserName = null);

/// <summary>Personal API tokens: made, listed, revoked by their owner, and checked on every API request.</summary>
public interface IApiTokens
{
    /// <summary>Makes a token named <paramref name="name"/> (trimmed) for a person, and audits it.</summary>
    Task<IssuedApiToken> CreateAsync(string userId, string name, CancellationToken cancellationToken = default);

    /// <summary>A person's tokens, live ones first, newest first.</summary>
    Task<IReadOnlyList<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes one of <paramref name="userId"/>'s tokens (once; revoking again changes nothing) and audits it.
    /// Null when the person has no such token.
    /// </summary>
    Task<ApiTokenRow?> RevokeAsync(string userId, long tokenId, CancellationToken cancellationToken = default);

    /// <summary>Looks a presented token up and notes that it was used; <paramref name="token"/> must be well-formed (<see cref="ApiTokenFormat.PrefixOf"/>).</summary>
    Task<ApiTokenCheck> CheckAsync(string token, CancellationToken cancellationToken = default);
}
