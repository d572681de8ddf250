namespace CodeChatter.Core.Audit;

/// <summary>The names an <see cref="AuditRecord"/> carries as its action: one vocabulary for the writers and the audit page.</summary>
public static class AuditActions
{
    /// <summary>Too many failed passwords: Identity locked the account for a while.</summary>
    public const string SignInLockedOut = "sign_in.locked_out";

    /// <summary>A run was refused before it started (disabled account, daily quota, full queue).</summary>
    public const string RunRefused = "run.refused";

    /// <summary>An admin disabled a person.</summary>
    public const string UserDisabled = "user.disabled";

    /// <summary>An admin enabled a disabled person again.</summary>
    public const string UserEnabled = "user.enabled";

    /// <summary>An admin made a person admin.</summary>
    public const string AdminGranted = "user.admin_granted";

    /// <summary>An admin took the admin role from a person.</summary>
    public const string AdminRevoked = "user.admin_revoked";

    /// <summary>An admin changed a person's daily run quota.</summary>
    public const string QuotaSet = "user.quota_set";

    /// <summary>An admin made a one-time link for a person to set a new password.</summary>
    public const string PasswordResetLinkCreated = "user.password_reset_link";

    /// <summary>A person set a new password through a one-time link.</summary>
    public const string PasswordReset = "user.password_reset";

    /// <summary>An admin ended a person's live session.</summary>
    public const string SessionEnded = "session.ended";

    /// <summary>An account was made from the command line.</summary>
    public const string UserCreated = "user.created";

    /// <summary>A person made a personal API token.</summary>
    public const string TokenCreated = "token.created";

    /// <summary>A person revoked one of their API tokens.</summary>
    public const string TokenRevoked = "token.revoked";

    /// <summary>A person made a read-only link to one of their conversations.</summary>
    public const string ShareLinkCreated = "share.created";

    /// <summary>A person revoked one of their share links.</summary>
    public const string ShareLinkRevoked = "share.revoked";

    /// <summary>An admin revoked someone's share link.</summary>
    public const string ShareLinkRevokedByAdmin = "share.revoked_by_admin";

    /// <summary>Runs older than a retention period were removed (by an admin, or by the configured daily sweep).</summary>
    public const string RunsRemoved = "runs.removed";
}
