using CodeChatter.Data;
using CodeChatter.Data.Entities;
using CodeChatter.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Web.Areas.Admin;

/// <summary>The outcome of an admin action: done, or refused with the reason.</summary>
public sealed record AdminActionResult(bool Succeeded, string Message)
{
    public static AdminActionResult Done(string message) => new(true, message);
    public static AdminActionResult Refused(string message) => new(false, message);
}

/// <summary>
/// What an admin may do to a person, with the rule that keeps the instance manageable (the last active
/// admin can be neither demoted nor disabled) and an audit event for every change.
/// </summary>
public sealed class UserAdministration(UserManager<ChatUser> users, ChatDbContext db)
{
    public async Task<AdminActionResult> DisableAsync(string actorId, ChatUser person)
    {
        if (person.IsDisabled) return AdminActionResult.Done($"{person.Email} was already disabled.");
        if (await IsLastActiveAdminAsync(person)) return AdminActionResult.Refused($"{person.Email} is the last active admin and cannot be disabled.");
        person.IsDisabled = true;
        // A new stamp ends their sign-in cookies; tokens are refused because the handler reads IsDisabled.
        await users.UpdateSecurityStampAsync(person);
        await AuditAsync(actorId, AuditActions.UserDisabled, person, person.Email);
        return AdminActionResult.Done($"{person.Email} is disabled: signed out, their tokens refused, and they cannot run code.");
    }

    public async Task<AdminActionResult> EnableAsync(string actorId, ChatUser person)
    {
        if (!person.IsDisabled) return AdminActionResult.Done($"{person.Email} was already enabled.");
        person.IsDisabled = false;
        await users.UpdateAsync(person);
        await AuditAsync(actorId, AuditActions.UserEnabled, person, person.Email);
        return AdminActionResult.Done($"{person.Email} is enabled again.");
    }

    public async Task<AdminActionResult> GrantAdminAsync(string actorId, ChatUser person)
    {
        if (await users.IsInRoleAsync(person, Roles.Admin)) return AdminActionResult.Done($"{person.Email} was already an admin.");
        var result = await users.AddToRoleAsync(person, Roles.Admin);
        if (!result.Succeeded) return AdminActionResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        // No new security stamp: the sign-in cookie is re-validated on every request (see
        // IdentityServiceCollectionExtensions), which re-reads the roles without signing the person out.
        await AuditAsync(actorId, AuditActions.AdminGranted, person, person.Email);
        return AdminActionResult.Done($"{person.Email} is now an admin.");
    }

    public async Task<AdminActionResult> RevokeAdminAsync(string actorId, ChatUser person)
    {
        if (!await users.IsInRoleAsync(person, Roles.Admin)) return AdminActionResult.Done($"{person.Email} was not an admin.");
        if (await IsLastActiveAdminAsync(person)) return AdminActionResult.Refused($"{person.Email} is the last active admin and cannot be demoted.");
        var result = await users.RemoveFromRoleAsync(person, Roles.Admin);
        if (!result.Succeeded) return AdminActionResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        await AuditAsync(actorId, AuditActions.AdminRevoked, person, person.Email);
        return AdminActionResult.Done($"{person.Email} is no longer an admin.");
    }

    public async Task<AdminActionResult> SetDailyQuotaAsync(string actorId, ChatUser person, int? quota)
    {
        var before = person.DailyRunQuota;
        person.DailyRunQuota = quota;
        await users.UpdateAsync(person);
        var describe = (int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "instance default";
        await AuditAsync(actorId, AuditActions.QuotaSet, person, $"{person.Email}: {describe(before)} -> {describe(quota)}");
        return AdminActionResult.Done($"{person.Email}'s daily run quota is now {describe(quota)}.");
    }

    // "Active" admins: a disabled admin cannot sign in, so they do not count towards keeping one.
    private async Task<bool> IsLastActiveAdminAsync(ChatUser person) =>
        !person.IsDisabled
        && await users.IsInRoleAsync(person, Roles.Admin)
        && (await users.GetUsersInRoleAsync(Roles.Admin)).Count(admin => !admin.IsDisabled) <= 1;

    private async Task AuditAsync(string actorId, string action, ChatUser person, string? detail)
    {
        db.AuditEvents.Add(new AuditEvent { ActorId = actorId, Action = action, Target = person.Id, Detail = detail });
        await db.SaveChangesAsync();
    }
}
