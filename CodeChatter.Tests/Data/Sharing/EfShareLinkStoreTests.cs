using CodeChatter.Core.Audit;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Sharing;
using CodeChatter.Data;
using CodeChatter.Data.Audit;
using CodeChatter.Data.Entities;
using CodeChatter.Data.Reading;
using CodeChatter.Data.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Data.Sharing;

/// <summary><see cref="ShareService"/> over <see cref="EfShareLinkStore"/> on a real migrated SQLite file.</summary>
public class EfShareLinkStoreTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed record Seeded(string Owner, string Other, long Conversation, long OthersConversation, long Output, long OthersOutput);

    private static ShareService Service(ChatDbContext db, TimeProvider clock) => new(
        new EfShareLinkStore(db), new EfConversationQueries(db, Options.Create(new ExecutionOptions())), new EfAuditLog(db, clock), clock);

    private async Task<Seeded> SeedAsync()
    {
        await using var db = database.Open();
        var owner = new ChatUser { UserName = $"{Guid.NewGuid():N}@example.com", Email = "owner@example.com" };
        var other = new ChatUser { UserName = $"{Guid.NewGuid():N}@example.com", Email = "other@example.com" };
        db.Users.AddRange(owner, other);
        Conversation Make(ChatUser user, string title) => new()
        {
            OwnerId = user.Id, Title = title, DefaultLanguage = "python", Mode = ConversationMode.Fresh,
            Snippets =
            [
                new Snippet
                {
                    Sequence = 1, Kind = SnippetKind.Code, Language = "python", Code = "print(1)", Stdin = "in",
                    Executions = [new Execution { OwnerId = user.Id, Status = RunStatus.Succeeded, Stdout = "1\n", StartedAt = Start.UtcDateTime, FinishedAt = Start.UtcDateTime,
                        Outputs = [new ExecutionOutput { MediaType = RichMediaTypes.Png, Content = [1, 2, 3], Size = 3, Sha256 = "x" }] }],
                },
                new Snippet { Sequence = 2, Kind = SnippetKind.Note, Language = "markdown", Code = "a **note**" },
                new Snippet { Sequence = 3, Kind = SnippetKind.Code, Language = "bash", Code = "echo 3" },
            ],
        };
        var mine = Make(owner, "Mine");
        var theirs = Make(other, "Theirs");
        db.Conversations.AddRange(mine, theirs);
        await db.SaveChangesAsync();
        return new Seeded(owner.Id, other.Id, mine.Id, theirs.Id,
            mine.Snippets[0].Executions[0].Outputs[0].Id, theirs.Snippets[0].Executions[0].Outputs[0].Id);
    }

    [Fact]
    public async Task A_link_is_stored_with_the_hash_of_its_token_only_for_the_conversations_owner()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var shares = Service(db, new MovableClock(Start));

        var refused = await shares.CreateAsync(seeded.Other, seeded.Conversation, null);
        var link = await shares.CreateAsync(seeded.Owner, seeded.Conversation, 7);

        Assert.Null(refused);
        Assert.NotNull(link);
        var row = await db.ShareLinks.AsNoTracking().SingleAsync(l => l.Id == link.Id);
        Assert.Equal(ShareTokens.Hash(row.Token), row.TokenHash);
        Assert.Equal(Start.UtcDateTime.AddDays(7), row.ExpiresAt);
        Assert.Equal(("Mine", "owner@example.com"), (link.ConversationTitle, link.OwnerEmail));
        Assert.Equal(1, await db.ShareLinks.CountAsync(l => l.ConversationId == seeded.Conversation));
    }

    [Fact]
    public async Task Opening_counts_each_view_and_stops_at_expiry_revocation_or_a_wrong_token()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var clock = new MovableClock(Start);
        var shares = Service(db, clock);
        var expiring = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, 1))!;
        var revoked = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, null))!;

        var first = await shares.OpenAsync(expiring.Token);
        clock.Now = Start.AddHours(1);
        var second = await shares.OpenAsync(expiring.Token);
        await shares.RevokeAsync(seeded.Owner, revoked.Id);
        clock.Now = Start.AddDays(1);

        Assert.Equal(3, first?.Conversation.Messages.Count);
        Assert.NotNull(second);
        var counted = await db.ShareLinks.AsNoTracking().SingleAsync(l => l.Id == expiring.Id);
        Assert.Equal((2, Start.AddHours(1).UtcDateTime), (counted.ViewCount, counted.LastViewedAt));
        Assert.Null(await shares.OpenAsync(expiring.Token));
        Assert.Null(await shares.OpenAsync(revoked.Token));
        Assert.Null(await shares.OpenAsync(ShareTokens.New()));
        Assert.Null(await shares.OpenAsync(revoked.Token[..21]));
        Assert.Null(await shares.OpenAsync(null));
        Assert.Equal(2, (await db.ShareLinks.AsNoTracking().SingleAsync(l => l.Id == expiring.Id)).ViewCount);
    }

    [Fact]
    public async Task An_item_is_served_under_a_link_only_when_it_belongs_to_that_conversation()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var shares = Service(db, new MovableClock(Start));
        var link = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, null))!;

        Assert.Equal([1, 2, 3], (await shares.FindOutputAsync(link.Token, seeded.Output))?.Content);
        Assert.Null(await shares.FindOutputAsync(link.Token, seeded.OthersOutput));
        await shares.RevokeAsync(seeded.Owner, link.Id);
        Assert.Null(await shares.FindOutputAsync(link.Token, seeded.Output));
    }

    [Fact]
    public async Task A_copy_belongs_to_the_viewer_with_the_snippets_and_notes_in_order_and_no_runs()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var shares = Service(db, new MovableClock(Start));
        var link = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, null))!;

        var copyId = await shares.CopyAsync(link.Token, seeded.Other);

        var copy = await db.Conversations.AsNoTracking().Include(c => c.Snippets).ThenInclude(s => s.Executions).SingleAsync(c => c.Id == copyId);
        Assert.Equal((seeded.Other, "Copy of Mine", "python", ConversationMode.Fresh), (copy.OwnerId, copy.Title, copy.DefaultLanguage, copy.Mode));
        Assert.Equal(
            [(1, SnippetKind.Code, "python", "print(1)", "in"), (2, SnippetKind.Note, "markdown", "a **note**", ""), (3, SnippetKind.Code, "bash", "echo 3", "")],
            copy.Snippets.OrderBy(s => s.Sequence).Select(s => (s.Sequence, s.Kind, s.Language, s.Code, s.Stdin)));
        Assert.All(copy.Snippets, s => Assert.Empty(s.Executions));
        Assert.Equal(3, await db.Snippets.CountAsync(s => s.ConversationId == seeded.Conversation));
    }

    [Fact]
    public async Task Owners_list_and_revoke_only_their_own_links_and_an_admins_revocation_is_audited_with_the_owner()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var shares = Service(db, new MovableClock(Start));
        var mine = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, null))!;
        var theirs = (await shares.CreateAsync(seeded.Other, seeded.OthersConversation, null))!;

        Assert.Null(await shares.RevokeAsync(seeded.Owner, theirs.Id));
        Assert.Equal([mine.Id], (await shares.ListMineAsync(seeded.Owner)).Select(l => l.Id));
        var revoked = await shares.RevokeAsAdminAsync("the-admin", theirs.Id);
        var again = await shares.RevokeAsAdminAsync("the-admin", theirs.Id);

        Assert.Equal(Start.UtcDateTime, revoked?.RevokedAt);
        Assert.Equal(Start.UtcDateTime, again?.RevokedAt);
        var audited = await db.AuditEvents.AsNoTracking().Where(a => a.Action == AuditActions.ShareLinkRevokedByAdmin && a.Target == seeded.Other).ToListAsync();
        Assert.Equal("the-admin", Assert.Single(audited).ActorId);
        Assert.DoesNotContain(theirs.Token, audited[0].Detail);
        Assert.Contains((await shares.ListEveryonesAsync()), l => l.Id == mine.Id && l.OwnerEmail == "owner@example.com");
    }

    [Fact]
    public async Task Links_go_with_their_conversation()
    {
        var seeded = await SeedAsync();
        await using var db = database.Open();
        var shares = Service(db, new MovableClock(Start));
        var link = (await shares.CreateAsync(seeded.Owner, seeded.Conversation, null))!;

        await db.Conversations.Where(c => c.Id == seeded.Conversation).ExecuteDeleteAsync();

        Assert.False(await db.ShareLinks.AnyAsync(l => l.Id == link.Id));
        Assert.Null(await shares.OpenAsync(link.Token));
    }
}
