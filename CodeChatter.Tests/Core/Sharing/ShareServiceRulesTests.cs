using CodeChatter.Core.Sharing;

namespace CodeChatter.Tests.Core.Sharing;

public class ShareServiceRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private static ShareLinkView Link(DateTime? expiresAt = null, DateTime? revokedAt = null) =>
        new(1, 2, "Title", "owner", "owner@example.com", ShareTokens.New(), Now.AddDays(-1), expiresAt, revokedAt, 0, null);

    [Fact]
    public void A_link_is_live_until_its_expiry_and_revocation_wins_over_expiry()
    {
        Assert.Equal(ShareLinkState.Live, Link().StateAt(Now));
        Assert.Equal(ShareLinkState.Live, Link(expiresAt: Now.AddSeconds(1)).StateAt(Now));
        Assert.Equal(ShareLinkState.Expired, Link(expiresAt: Now).StateAt(Now));
        Assert.Equal(ShareLinkState.Revoked, Link(expiresAt: Now.AddDays(-1), revokedAt: Now.AddDays(-2)).StateAt(Now));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(365, true)]
    [InlineData(0, false)]
    [InlineData(-7, false)]
    [InlineData(366, false)]
    public void An_expiry_is_one_day_to_a_year_or_never(int? days, bool valid)
    {
        Assert.Equal(valid, ShareService.IsValidExpiry(days));
    }

    [Fact]
    public void A_copys_title_says_copy_of_and_fits_the_title_column()
    {
        Assert.Equal("Copy of Squares", ShareService.CopyTitle("Squares"));
        Assert.Equal(200, ShareService.CopyTitle(new string('x', 200)).Length);
    }
}
