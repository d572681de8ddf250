namespace CodeChatter.Web.Identity;

/// <summary>Role and policy names.</summary>
public static class Roles
{
    /// <summary>The admin role, and the policy that requires it.</summary>
    public const string Admin = Core.Accounts.AccountRoles.Admin;
}
