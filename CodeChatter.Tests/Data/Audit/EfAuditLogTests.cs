using CodeChatter.Core.Audit;
using CodeChatter.Data.Accounts;
using CodeChatter.Data.Audit;
using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CodeChatter.Tests.Data.Audit;

public class EfAuditLogTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_record_is_stored_as_given_at_the_clocks_time()
    {
        await using (var db = database.Open())
        {
            await new EfAuditLog(db, new FixedClock(Now)).RecordAsync(new AuditRecord(AuditActions.SignInLockedOut, null, "someone", "a@example.com"));
        }

        await using var check = database.Open();
        var stored = await check.AuditEvents.SingleAsync(a => a.Target == "someone");
        Assert.Equal((AuditActions.SignInLockedOut, null, "a@example.com", Now.UtcDateTime), (stored.Action, stored.ActorId, stored.Detail, stored.At));
    }

    [Fact]
    public async Task A_new_token_is_stored_together_with_its_audit_event()
    {
        var person = new ChatUser { UserName = "t@example.com", Email = "t@example.com" };
        await using (var db = database.Open())
        {
            db.Users.Add(person);
            await db.SaveChangesAsync();
            var clock = new FixedClock(Now);
            await new EfApiTokens(db, new EfAuditLog(db, clock), clock).CreateAsync(person.Id, "  laptop  ");
        }

        await using var check = database.Open();
        var token = await check.ApiTokens.SingleAsync(t => t.UserId == person.Id);
        var created = await check.AuditEvents.SingleAsync(a => a.Target == person.Id);
        Assert.Equal(("laptop", Now.UtcDateTime), (token.Name, token.CreatedAt));
        Assert.Equal((AuditActions.TokenCreated, person.Id, $"laptop ({token.Prefix})"), (created.Action, created.ActorId, created.Detail));
    }
}
