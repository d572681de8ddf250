namespace CodeChatter.Data;

/// <summary>The <see cref="Entities.AuditEvent.Action"/> names, one vocabulary for writers and the audit page.</summary>
public static class AuditActions
{
    public const string SignInLockedOut = "sign_in.locked_out";
    public const string RunRefused = "run.refused";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string AdminGranted = "user.admin_granted";
    public const string AdminRevoked = "user.admin_revoked";
    public const string QuotaSet = "user.quota_set";
    public const string UserCreated = "user.created";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
}
