namespace CodeChatter.Core.Admin;

/// <summary>What <see cref="UserAdministration"/> needs to know about a person.</summary>
/// <param name="Id">The person's id.</param>
/// <param name="Email">Their e-mail, for messages and the audit log.</param>
/// <param name="IsDisabled">Whether they are disabled.</param>
/// <param name="IsAdmin">Whether they hold the admin role.</param>
/// <param name="DailyRunQuota">Their own daily quota, or null for the instance default.</param>
public sealed record AccountState(string Id, string? Email, bool IsDisabled, bool IsAdmin, int? DailyRunQuota);

/// <summary>The accounts <see cref="UserAdministration"/> changes; the identity system behind it lives in the data layer.</summary>
public interface IAccountStore
{
    /// <summary>A person's state, or null when there is no such account.</summary>
    Task<AccountState?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Admins who are not disabled.</summary>
    Task<int> CountActiveAdminsAsync(CancellationToken cancellationToken = default);

    /// <summary>Disables a person and ends their sign-ins at once, or enables them again.</summary>
    Task SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken = default);

    /// <summary>Gives a person the admin role, or takes it away; null when done, otherwise why not.</summary>
    Task<string?> SetAdminAsync(string id, bool admin, CancellationToken cancellationToken = default);

    /// <summary>Sets a person's daily run quota; null means the instance default.</summary>
    Task SetDailyRunQuotaAsync(string id, int? quota, CancellationToken cancellationToken = default);

    /// <summary>
    /// A one-time password-reset token for a person: it stops working once used (setting the password changes
    /// what it was made from) or when the identity system's token lifetime runs out.
    /// </summary>
    Task<string> CreatePasswordResetTokenAsync(string id, CancellationToken cancellationToken = default);
}
