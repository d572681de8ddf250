using CodeChatter.Core.Audit;
using CodeChatter.Web.Areas.Identity.Pages.Account;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Web.Admin;

public class PasswordResetTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    private const string NewPassword = "Brand-new-pass-7";

    private static async Task<string> MakeLinkAsync(ChatClient admin, string userId)
    {
        var made = await admin.PostFormAsync($"/Admin/Users/{userId}", "form#reset-password");
        return made.Single("#reset-link").TextContent;
    }

    [Fact]
    public async Task An_admin_makes_a_one_time_link_with_which_the_person_sets_a_new_password_and_is_signed_in()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var userId = (await person.GetUserAsync()).Id;

        var link = await MakeLinkAsync(admin, userId);
        using var visitor = ChatClient.Anonymous(factory);
        var form = await visitor.GetAsync(link);
        var done = await visitor.PostFormAsync(form, "form#reset-password", new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        Assert.Contains(person.Email, form.Single("main").TextContent);
        Assert.NotNull(done.Document.QuerySelector("form#sign-out"));
        Assert.EndsWith("/Conversations", done.Url);
        Assert.DoesNotContain(link, (await admin.GetAsync($"/Admin/Users/{userId}")).Html);
        var adminId = (await admin.GetUserAsync()).Id;
        Assert.True(await admin.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.PasswordResetLinkCreated && a.ActorId == adminId && a.Target == userId)));
        Assert.True(await admin.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditActions.PasswordReset && a.Target == userId)));
        var audited = await admin.WithDbAsync(db => db.AuditEvents.Where(a => a.Target == userId).Select(a => a.Detail).ToListAsync());
        Assert.DoesNotContain(audited, detail => detail != null && link.Contains(detail, StringComparison.Ordinal) && detail.Length > 40);
    }

    [Fact]
    public async Task A_reset_link_works_only_once()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var link = await MakeLinkAsync(admin, (await person.GetUserAsync()).Id);
        using var first = ChatClient.Anonymous(factory);
        await first.PostFormAsync(await first.GetAsync(link), "form#reset-password", new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        using var second = ChatClient.Anonymous(factory);
        var again = await second.PostFormAsync(await second.GetAsync(link), "form#reset-password", new() { ["Input.Password"] = "Another-pass-8", ["Input.ConfirmPassword"] = "Another-pass-8" });

        Assert.Contains(ResetPasswordModel.LinkNotValid, again.Single("[role=alert]").TextContent);
        Assert.Null(again.Document.QuerySelector("form#sign-out"));
    }

    [Fact]
    public async Task A_tampered_link_is_refused()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var link = await MakeLinkAsync(admin, (await person.GetUserAsync()).Id);
        using var visitor = ChatClient.Anonymous(factory);

        var page = await visitor.PostFormAsync(await visitor.GetAsync(link.Replace("code=", "code=AAAA", StringComparison.Ordinal)), "form#reset-password",
            new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });

        Assert.Contains(ResetPasswordModel.LinkNotValid, page.Single("[role=alert]").TextContent);
    }
}
