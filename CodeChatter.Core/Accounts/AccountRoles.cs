namespace CodeChatter.Core.Accounts;

/// <summary>The roles a person can hold.</summary>
public static class AccountRoles
{
    /// <summary>The admin role: the admin area, and acting on other people's accounts.</summary>
    public const string Admin = "Admin";
}
