using CodeChatter.Core.Audit;
using CodeChatter.Data;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

/// <summary>An instance with exactly one admin: the first account.</summary>
public class LastAdminTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_nor_disabled()
    {
        using var admin = await ChatClient.RegisterAsync(factory);
        var adminId = (await admin.GetUserAsync()).Id;

        var revokeConfirm = await admin.GetAsync($"/Admin/Users/{adminId}/Confirm/revoke-admin");
        var afterRevoke = await admin.PostFormAsync(revokeConfirm, "form#confirm");
        var disableConfirm = await admin.GetAsync($"/Admin/Users/{adminId}/Confirm/disable");
        var afterDisable = await admin.PostFormAsync(disableConfirm, "form#confirm");

        Assert.Contains("last active admin and cannot be demoted", afterRevoke.Single(".status-message").TextContent);
        Assert.Contains("last active admin and cannot be disabled", afterDisable.Single(".status-message").TextContent);
        Assert.Equal("admin", afterDisable.Single("#person-role").TextContent);
        Assert.Equal("active", afterDisable.Single("#person-state").TextContent);
        Assert.False(await admin.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.UserDisabled || a.Action == AuditActions.AdminRevoked)));
    }
}
