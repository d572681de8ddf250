using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Identity;

/// <summary>
/// Identity's user manager, plus the one rule about roles: the first account ever created becomes the
/// admin. Every way of creating an account (the Register page, the command line) goes through
/// <see cref="CreateAsync(ChatUser)"/>, so this is the one place that rule lives.
/// </summary>
public sealed class ChatUserManager(
    IUserStore<ChatUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<ChatUser> passwordHasher,
    IEnumerable<IUserValidator<ChatUser>> userValidators, IEnumerable<IPasswordValidator<ChatUser>> passwordValidators,
    ILookupNormalizer keyNormalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<ChatUser>> logger)
    : UserManager<ChatUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> CreateAsync(ChatUser user)
    {
        var result = await base.CreateAsync(user);
        if (result.Succeeded)
        {
            await MakeAdminIfFirstAsync(user);
        }
        return result;
    }

    // "The earliest account, while nobody is admin" rather than "the only account": two people
    // registering at the same moment then still give exactly one admin, the one created first.
    private async Task MakeAdminIfFirstAsync(ChatUser user)
    {
        if ((await GetUsersInRoleAsync(Roles.Admin)).Count > 0) return;
        var firstId = await Users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Select(u => u.Id).FirstAsync();
        if (firstId != user.Id) return;
        var promoted = await AddToRoleAsync(user, Roles.Admin);
        if (promoted.Succeeded)
        {
            Logger.LogInformation("The first account, {UserName}, is the admin", user.UserName);
        }
    }
}
