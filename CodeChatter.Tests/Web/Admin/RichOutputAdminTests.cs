namespace CodeChatter.Tests.Web.Admin;

public class RichOutputAdminTests(ChatAppFactory factory) : IClassFixture<ChatAppFactory>
{
    [Fact]
    public async Task The_admin_sees_a_persons_stored_output_bytes_and_their_figures_only_named_not_fetched()
    {
        using var admin = await AdminAccounts.AdminAsync(factory);
        using var person = await AdminAccounts.PersonAsync(factory);
        var conversationId = (await person.NewConversationAsync("print('before')")).ConversationId;
        await RichOutputRuns.GiveNewestRunOutputsAsync(person, conversationId);
        var expected = RichOutputRuns.Png.Length + System.Text.Encoding.UTF8.GetByteCount(RichOutputRuns.Html)
            + System.Text.Encoding.UTF8.GetByteCount(RichOutputRuns.Value);

        var people = await admin.GetAsync($"/Admin/Users?search={Uri.EscapeDataString(person.Email)}");
        var view = await admin.GetAsync($"/Admin/Conversations/{conversationId}");

        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture),
            people.Single($"tr[data-email='{person.Email}'] [data-stored-output-bytes]").GetAttribute("data-stored-output-bytes"));
        Assert.Empty(view.All("article.reply img"));
        Assert.StartsWith("Figure 1 of the reply", view.Single(".rich-figure-placeholder").TextContent, StringComparison.Ordinal);
        Assert.Equal("42", view.Single(".rich-html td").TextContent);
    }
}
