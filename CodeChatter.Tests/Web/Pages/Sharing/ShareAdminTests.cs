using System.Net;
using CodeChatter.Core.Audit;
using CodeChatter.Tests.Web.Admin;
using Microsoft.EntityFrameworkCore;
using static CodeChatter.Tests.Web.Pages.Sharing.ShareSteps;

namespace CodeChatter.Tests.Web.Pages.Sharing;

/// <summary>Two people and an admin: each sees their own links, the admin sees everyone's and revokes one, audited.</summary>
public class ShareAdminTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task People_list_only_their_own_links_while_the_admin_lists_everyones_with_the_owner()
    {
        using var ann = await AdminAccounts.PersonAsync(factory);
        using var bob = await AdminAccounts.PersonAsync(factory);
        using var admin = await AdminAccounts.AdminAsync(factory);
        var annsToken = await ShareAsync(ann, await ConversationAsync(ann, title: "Ann's work"));
        var bobsToken = await ShareAsync(bob, await ConversationAsync(bob, title: "Bob's work"));

        var annsList = await ann.GetAsync("/Account/ShareLinks");
        var bobsList = await bob.GetAsync("/Account/ShareLinks");
        var adminsList = await admin.GetAsync("/Admin/ShareLinks");

        Assert.Contains(annsToken, annsList.Html);
        Assert.DoesNotContain(bobsToken, annsList.Html);
        Assert.DoesNotContain("Bob's work", annsList.Html);
        Assert.Contains(bobsToken, bobsList.Html);
        Assert.DoesNotContain(annsToken, bobsList.Html);
        Assert.Equal(HttpStatusCode.OK, adminsList.Status);
        Assert.Contains(adminsList.All("tr.share-row"), r => r.TextContent.Contains(ann.Email) && r.TextContent.Contains("Ann's work"));
        Assert.Contains(adminsList.All("tr.share-row"), r => r.TextContent.Contains(bob.Email) && r.TextContent.Contains("Bob's work"));
        // The admin's list names links, it does not hand them out.
        Assert.DoesNotContain(annsToken, adminsList.Html);
    }

    [Fact]
    public async Task Someone_who_is_not_admin_gets_404_from_the_admin_list()
    {
        using var person = await AdminAccounts.PersonAsync(factory);

        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync("/Admin/ShareLinks")).Status);
    }

    [Fact]
    public async Task The_admin_revokes_a_link_and_the_audit_log_says_who_and_whose()
    {
        using var owner = await AdminAccounts.PersonAsync(factory);
        using var admin = await AdminAccounts.AdminAsync(factory);
        var token = await ShareAsync(owner, await ConversationAsync(owner, title: "To be revoked"));
        var linkId = await owner.WithDbAsync(db => db.ShareLinks.Where(l => l.Token == token).Select(l => l.Id).SingleAsync());

        var list = await admin.GetAsync("/Admin/ShareLinks");
        var after = await admin.PostFormAsync(list, $"tr.share-row[data-share-id='{linkId}'] form.revoke-share");

        Assert.Equal("revoked", after.Single($"tr.share-row[data-share-id='{linkId}']").GetAttribute("data-state"));
        Assert.Equal(HttpStatusCode.NotFound, (await ChatClient.Anonymous(factory).GetAsync($"/s/{token}")).Status);
        var ownerId = (await owner.GetUserAsync()).Id;
        var adminId = (await admin.GetUserAsync()).Id;
        var audited = await owner.WithDbAsync(db => db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ShareLinkRevokedByAdmin && a.Target == ownerId));
        Assert.Equal(adminId, audited.ActorId);
        Assert.Contains("To be revoked", audited.Detail);
        Assert.DoesNotContain(token, audited.Detail);
    }
}
