using System.Net;
using static CodeChatter.Tests.Web.Pages.Sharing.ShareSteps;

namespace CodeChatter.Tests.Web.Pages.Sharing;

/// <summary>An instance configured with <c>Sharing:RequireSignIn</c>.</summary>
public sealed class SignInToShareAppFactory : ChatAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Sharing:RequireSignIn"] = "true" };
}

public class ShareSignInTests(SignInToShareAppFactory factory) : IClassFixture<SignInToShareAppFactory>
{
    [Fact]
    public async Task With_sign_in_required_a_link_sends_strangers_to_sign_in_and_opens_for_any_account()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var token = await ShareAsync(owner, await ConversationAsync(owner, title: "Members only"));
        using var stranger = ChatClient.Anonymous(factory);
        using var member = await ChatClient.RegisterAsync(factory);

        var refused = await stranger.GetAsync($"/s/{token}");
        var opened = await member.GetAsync($"/s/{token}");

        Assert.StartsWith("/Identity/Account/Login", refused.Url);
        Assert.Empty(refused.All("h1#conversation-title"));
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Equal("Members only", opened.Single("h1#conversation-title").TextContent);
    }
}

public class ShareSignInDefaultTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task By_default_a_link_opens_without_signing_in()
    {
        using var owner = await ChatClient.RegisterAsync(factory);
        var token = await ShareAsync(owner, await ConversationAsync(owner, title: "Open to all"));

        var page = await ChatClient.Anonymous(factory).GetAsync($"/s/{token}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"/s/{token}", page.Url);
    }
}
