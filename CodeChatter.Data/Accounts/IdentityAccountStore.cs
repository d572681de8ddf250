using CodeChatter.Core.Accounts;
using CodeChatter.Core.Admin;
using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Data.Accounts;

/// <summary>
/// Accounts through Identity's <see cref="UserManager{TUser}"/> (the app's own, which keeps the first-admin
/// rule), so security stamps, roles and normalisation stay Identity's business.
/// </summary>
public sealed class IdentityAccountStore(UserManager<ChatUser> users) : IAccountStore
{
    /// <inheritdoc />
    public async Task<AccountState?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        await users.FindByIdAsync(id) is { } user
            ? new AccountState(user.Id, user.Email, user.IsDisabled, await users.IsInRoleAsync(user, AccountRoles.Admin), user.DailyRunQuota)
            : null;

    /// <inheritdoc />
    public async Task<int> CountActiveAdminsAsync(CancellationToken cancellationToken = default) =>
        (await users.GetUsersInRoleAsync(AccountRoles.Admin)).Count(admin => !admin.IsDisabled);

    /// <inheritdoc />
    public async Task SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(id);
        user.IsDisabled = disabled;
        if (disabled)
        {
            // A new stamp ends their sign-in cookies; tokens are refused because the token check reads IsDisabled.
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.UpdateAsync(user);
        }
    }

    /// <inheritdoc />
    public async Task<string?> SetAdminAsync(string id, bool admin, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(id);
        // No new security stamp when granting: the sign-in cookie is re-validated on every request, which
        // re-reads the roles without signing the person out.
        var result = admin ? await users.AddToRoleAsync(user, AccountRoles.Admin) : await users.RemoveFromRoleAsync(user, AccountRoles.Admin);
        return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));
    }

    /// <inheritdoc />
    public async Task SetDailyRunQuotaAsync(string id, int? quota, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(id);
        user.DailyRunQuota = quota;
        await users.UpdateAsync(user);
    }

    /// <inheritdoc />
    public async Task<string> CreatePasswordResetTokenAsync(string id, CancellationToken cancellationToken = default) =>
        await users.GeneratePasswordResetTokenAsync(await FindUserAsync(id));

    private async Task<ChatUser> FindUserAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"There is no account {id}.");
}
