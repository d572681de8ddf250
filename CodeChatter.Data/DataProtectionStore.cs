using Microsoft.AspNetCore.DataProtection;

namespace CodeChatter.Data;

/// <summary>Data Protection's keys in the app's database, so the web layer never names the DbContext.</summary>
public static class DataProtectionStore
{
    /// <summary>
    /// Keeps the keys that sign cookies and antiforgery tokens in the <c>DataProtectionKeys</c> table: every web
    /// instance on a shared database then reads what another signed.
    /// </summary>
    public static IDataProtectionBuilder PersistKeysToCodeChatterDatabase(this IDataProtectionBuilder builder) =>
        builder.PersistKeysToDbContext<ChatDbContext>();
}
