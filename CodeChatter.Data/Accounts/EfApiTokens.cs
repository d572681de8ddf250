using CodeChatter.Core.Accounts;
using CodeChatter.Core.Audit;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Data.Accounts;

/// <summary>
/// API tokens in <see cref="ChatDbContext.ApiTokens"/>, each found by its prefix through a unique index.
/// A person's tokens are reached only through <see cref="OwnershipQueries"/>.
/// </summary>
public sealed class EfApiTokens(ChatDbContext db, IAuditLog audit, TimeProvider time) : IApiTokens
{
    // Writing LastUsedAt on every call would turn each read into a write; a minute's precision is plenty.
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task<IssuedApiToken> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var (prefix, token) = ApiTokenFormat.New();
        var row = new ApiToken
        {
            UserId = userId, Name = name.Trim(), Prefix = prefix, Hash = ApiTokenFormat.Hash(token), CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(row);
        // Saves the new row with its audit event.
        await audit.RecordAsync(new AuditRecord(AuditActions.TokenCreated, userId, userId, $"{row.Name} ({prefix})"), cancellationToken);
        return new IssuedApiToken(ToRow(row), token);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ApiTokens.OwnedBy(userId).AsNoTracking()
            .OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<ApiTokenRow?> RevokeAsync(string userId, long tokenId, CancellationToken cancellationToken = default)
    {
        var token = await db.ApiTokens.OwnedBy(userId).SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null) return null;
        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow().UtcDateTime;
            // Saves the revocation with its audit event.
            await audit.RecordAsync(new AuditRecord(AuditActions.TokenRevoked, userId, userId, $"{token.Name} ({token.Prefix})"), cancellationToken);
        }
        return ToRow(token);
    }

    /// <inheritdoc />
    public async Task<ApiTokenCheck> CheckAsync(string token, CancellationToken cancellationToken = default)
    {
        var prefix = ApiTokenFormat.PrefixOf(token);
        // One indexed lookup by prefix, joined with the person, so a revoked token or a disabled person is refused at once.
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Prefix == prefix)
            .Select(t => new { t.Id, t.Hash, t.RevokedAt, t.LastUsedAt, t.UserId, t.User!.UserName, t.User.IsDisabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !ApiTokenFormat.Matches(token, found.Hash)) return new ApiTokenCheck(ApiTokenCheckOutcome.Unknown);
        if (found.RevokedAt is not null) return new ApiTokenCheck(ApiTokenCheckOutcome.Revoked);
        if (found.IsDisabled) return new ApiTokenCheck(ApiTokenCheckOutcome.Disabled);

        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedPrecision)
        {
            await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        return new ApiTokenCheck(ApiTokenCheckOutcome.Valid, found.UserId, found.UserName ?? found.UserId);
    }

    private static ApiTokenRow ToRow(ApiToken token) =>
        new(token.Id, token.Name, token.Prefix, token.CreatedAt, token.LastUsedAt, token.RevokedAt);
}
