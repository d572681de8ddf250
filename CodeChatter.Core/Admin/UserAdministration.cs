using System.Globalization;
using CodeChatter.Core.Audit;
using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Admin;

/// <summary>The outcome of an admin action: done, or refused with the reason.</summary>
/// <param name="Succeeded">Whether the change was made (or there was nothing to change).</param>
/// <param name="Message">What happened, in words for the admin.</param>
public sealed record AdminActionResult(bool Succeeded, string Message)
{
    /// <summary>Done (or already so).</summary>
    public static AdminActionResult Done(string message) => new(true, message);

    /// <summary>Not done, for the reason given.</summary>
    public static AdminActionResult Refused(string message) => new(false, message);
}

/// <summary>A one-time password-reset token an admin made for a person; the page turns it into a link.</summary>
/// <param name="PersonId">Whose password the token resets.</param>
/// <param name="Email">Their e-mail, for the admin's message.</param>
/// <param name="Token">The token itself: shown once to the admin, never stored or audited.</param>
public sealed record PasswordResetIssued(string PersonId, string? Email, string Token);

/// <summary>
/// What an admin may do to a person, with the rule that keeps the instance manageable (the last active
/// admin can be neither demoted nor disabled) and an audit event for every change. Each action answers
/// null when there is no such person.
/// </summary>
public sealed class UserAdministration(IAccountStore accounts, IAuditLog audit, ISessionRunner sessions)
{
    /// <summary>Disables a person: signed out at once, tokens refused, no runs, their live sessions ended.</summary>
    public Task<AdminActionResult?> DisableAsync(string actorId, string personId, CancellationToken cancellationToken = default) =>
        ActAsync(personId, async person =>
        {
            if (person.IsDisabled) return AdminActionResult.Done($"{person.Email} was already disabled.");
            if (await IsLastActiveAdminAsync(person, cancellationToken)) return AdminActionResult.Refused($"{person.Email} is the last active admin and cannot be disabled.");
            await accounts.SetDisabledAsync(person.Id, true, cancellationToken);
            await AuditAsync(actorId, AuditActions.UserDisabled, person, person.Email, cancellationToken);
            await sessions.EndPersonAsync(person.Id, SessionEndReason.PersonDisabled);
            return AdminActionResult.Done($"{person.Email} is disabled: signed out, their tokens refused, their sessions ended, and they cannot run code.");
        });

    /// <summary>Enables a disabled person again.</summary>
    public Task<AdminActionResult?> EnableAsync(string actorId, string personId, CancellationToken cancellationToken = default) =>
        ActAsync(personId, async person =>
        {
            if (!person.IsDisabled) return AdminActionResult.Done($"{person.Email} was already enabled.");
            await accounts.SetDisabledAsync(person.Id, false, cancellationToken);
            await AuditAsync(actorId, AuditActions.UserEnabled, person, person.Email, cancellationToken);
            return AdminActionResult.Done($"{person.Email} is enabled again.");
        });

    /// <summary>Makes a person admin.</summary>
    public Task<AdminActionResult?> GrantAdminAsync(string actorId, string personId, CancellationToken cancellationToken = default) =>
        ActAsync(personId, async person =>
        {
            if (person.IsAdmin) return AdminActionResult.Done($"{person.Email} was already an admin.");
            if (await accounts.SetAdminAsync(person.Id, true, cancellationToken) is { } error) return AdminActionResult.Refused(error);
            await AuditAsync(actorId, AuditActions.AdminGranted, person, person.Email, cancellationToken);
            return AdminActionResult.Done($"{person.Email} is now an admin.");
        });

    /// <summary>Takes the admin role from a person, unless they are the last active admin.</summary>
    public Task<AdminActionResult?> RevokeAdminAsync(string actorId, string personId, CancellationToken cancellationToken = default) =>
        ActAsync(personId, async person =>
        {
            if (!person.IsAdmin) return AdminActionResult.Done($"{person.Email} was not an admin.");
            if (await IsLastActiveAdminAsync(person, cancellationToken)) return AdminActionResult.Refused($"{person.Email} is the last active admin and cannot be demoted.");
            if (await accounts.SetAdminAsync(person.Id, false, cancellationToken) is { } error) return AdminActionResult.Refused(error);
            await AuditAsync(actorId, AuditActions.AdminRevoked, person, person.Email, cancellationToken);
            return AdminActionResult.Done($"{person.Email} is no longer an admin.");
        });

    /// <summary>Sets a person's daily run quota; null means the instance default.</summary>
    public Task<AdminActionResult?> SetDailyQuotaAsync(string actorId, string personId, int? quota, CancellationToken cancellationToken = default) =>
        ActAsync(personId, async person =>
        {
            await accounts.SetDailyRunQuotaAsync(person.Id, quota, cancellationToken);
            await AuditAsync(actorId, AuditActions.QuotaSet, person, $"{person.Email}: {Describe(person.DailyRunQuota)} -> {Describe(quota)}", cancellationToken);
            return AdminActionResult.Done($"{person.Email}'s daily run quota is now {Describe(quota)}.");
        });

    /// <summary>
    /// Makes a one-time password-reset token for a person (no e-mail server is assumed, so the admin hands the
    /// link over), audited without the token. Null when there is no such person.
    /// </summary>
    public async Task<PasswordResetIssued?> CreatePasswordResetAsync(string actorId, string personId, CancellationToken cancellationToken = default)
    {
        if (await accounts.FindAsync(personId, cancellationToken) is not { } person) return null;
        var token = await accounts.CreatePasswordResetTokenAsync(person.Id, cancellationToken);
        await AuditAsync(actorId, AuditActions.PasswordResetLinkCreated, person, person.Email, cancellationToken);
        return new PasswordResetIssued(person.Id, person.Email, token);
    }

    private async Task<AdminActionResult?> ActAsync(string personId, Func<AccountState, Task<AdminActionResult>> action) =>
        await accounts.FindAsync(personId) is { } person ? await action(person) : null;

    // "Active" admins: a disabled admin cannot sign in, so they do not count towards keeping one.
    private async Task<bool> IsLastActiveAdminAsync(AccountState person, CancellationToken cancellationToken) =>
        !person.IsDisabled && person.IsAdmin && await accounts.CountActiveAdminsAsync(cancellationToken) <= 1;

    private Task AuditAsync(string actorId, string action, AccountState person, string? detail, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(action, actorId, person.Id, detail), cancellationToken);

    private static string Describe(int? quota) => quota?.ToString(CultureInfo.InvariantCulture) ?? "instance default";
}
