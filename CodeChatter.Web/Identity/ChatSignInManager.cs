using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.Identity;

/// <summary>
/// Identity's sign-in manager, plus: a disabled person can neither sign in nor keep using a cookie they
/// already have (the cookie is re-validated against the database on every request, see
/// <see cref="IdentityServiceCollectionExtensions"/>).
/// </summary>
public sealed class ChatSignInManager(
    UserManager<ChatUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<ChatUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<ChatUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ChatUser> confirmation)
    : SignInManager<ChatUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ChatUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<bool> ValidateSecurityStampAsync(ChatUser? user, string? securityStamp) =>
        user is { IsDisabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);
}
