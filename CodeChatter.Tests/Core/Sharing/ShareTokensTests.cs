using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CodeChatter.Core.Sharing;

namespace CodeChatter.Tests.Core.Sharing;

public class ShareTokensTests
{
    [Fact]
    public void A_token_is_128_random_bits_in_22_url_safe_characters()
    {
        var token = ShareTokens.New();

        Assert.Equal(22, token.Length);
        Assert.Equal(16, Base64Url.DecodeFromChars(token).Length);
        Assert.True(ShareTokens.IsWellFormed(token));
    }

    [Fact]
    public void A_thousand_tokens_are_all_different()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => ShareTokens.New()).ToList();

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaa/a")]
    [InlineData("aaaaaaaaaaaaaaaaaaaa=a")]
    public void Anything_but_22_base64url_characters_is_not_a_token(string? presented)
    {
        Assert.False(ShareTokens.IsWellFormed(presented));
    }

    [Fact]
    public void A_token_is_found_by_the_SHA256_of_its_characters_and_only_the_same_token_matches()
    {
        var token = ShareTokens.New();

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), ShareTokens.Hash(token));
        Assert.True(ShareTokens.Matches(token, token));
        Assert.False(ShareTokens.Matches(token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant(), token));
        Assert.False(ShareTokens.Matches(token[..21] + (token[21] == 'A' ? 'B' : 'A'), token));
    }
}
