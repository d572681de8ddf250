using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>
/// Plots, tables and files in a real browser on real sandboxes: a pandas plot and its table in one reply,
/// a CSV attached and read from <c>inputs/</c>, and a file the message wrote downloaded from the reply.
/// </summary>
[Collection(BrowserCollection.Name)]
public class FilesBrowserTests(BrowserFixture browser)
{
    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true };

    // Importing pandas and matplotlib takes seconds of CPU on a busy two-core machine.
    private const float Slow = 60_000;

    [Fact]
    public async Task A_newcomer_sees_a_pandas_plot_and_its_table_in_one_reply()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);

        var reply = await StartConversationAsync(page,
            "import pandas as pd, matplotlib.pyplot as plt; df = pd.DataFrame({'x': [1, 2, 3], 'y': [1, 4, 9]}); df.plot(x='x', y='y'); plt.show(); df",
            title: "Squares");

        await ExpectStatusAsync(reply, "succeeded", Slow);
        var figure = reply.Locator("figure.rich-figure img");
        await Expect(figure).ToHaveCountAsync(1);
        await figure.ScrollIntoViewIfNeededAsync();
        // The image really loaded from its owner-only address (CSP and headers allow it on this origin).
        await Expect(figure).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await figure.EvaluateAsync<int>("img => img.naturalWidth") > 100, "the plot should load as an image");
        var table = reply.Locator(".rich-html table");
        await Expect(table).ToHaveCountAsync(1);
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(table.Locator("tbody tr").Nth(2)).ToContainTextAsync("9");
        // The figure comes before the table, as they were shown.
        var order = await reply.Locator(".rich-item").EvaluateAllAsync<string[]>("items => items.map(i => i.className)");
        Assert.Equal(2, order.Length);
        Assert.Contains("rich-figure", order[0]);
        Assert.Contains("rich-html", order[1]);
        await reply.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotTests.ScreenshotFolder(), "chat-plot-and-table.png") });
        session.AssertNoProblems();
    }

    [Fact]
    public async Task A_CSV_attached_to_the_conversation_is_read_from_inputs_and_a_written_file_downloads()
    {
        await using var session = await browser.NewSessionAsync(Desktop);
        var page = session.Page;
        await RegisterAsync(page);
        await ExpectStatusAsync(await StartConversationAsync(page, "print('ready')", title: "Measurements"), "succeeded");

        await page.Locator("#attach-file").SetInputFilesAsync(new FilePayload
        {
            Name = "data.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("x,y\n1,2\n3,4\n"),
        });
        await page.Locator("#attach button[type=submit]").ClickAsync();

        var attachment = page.Locator("#attachments li.attachment");
        await Expect(attachment).ToHaveCountAsync(1);
        await Expect(attachment.Locator(".attachment-path")).ToHaveTextAsync("inputs/data.csv");

        var reply = await SendAsync(page,
            "import pandas as pd; df = pd.read_csv('inputs/data.csv'); df['z'] = df.x * 10; df.to_csv('out.csv', index=False); print(df.z.sum())");

        await ExpectStatusAsync(reply, "succeeded", Slow);
        await Expect(reply.Locator("pre[data-stream=stdout]")).ToHaveTextAsync("40\n");
        var file = reply.Locator(".reply-files li.file-item");
        await Expect(file).ToHaveCountAsync(1);
        await Expect(file.Locator(".file-name")).ToHaveTextAsync("out.csv");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotTests.ScreenshotFolder(), "chat-files-in-and-out.png") });

        var download = await page.RunAndWaitForDownloadAsync(() => file.Locator("a.file-download").ClickAsync());

        Assert.Equal("out.csv", download.SuggestedFilename);
        var saved = await download.PathAsync();
        Assert.Equal("x,y,z\n1,2,10\n3,4,30\n", await File.ReadAllTextAsync(saved));

        // Removing the attachment takes it out of the next message's inputs/.
        await attachment.Locator("form.attachment-remove button").ClickAsync();
        await Expect(page.Locator("#attachments li.attachment")).ToHaveCountAsync(0);
        var after = await SendAsync(page, "import os; print(os.listdir('inputs'))");
        await ExpectStatusAsync(after, "succeeded");
        await Expect(after.Locator("pre[data-stream=stdout]")).ToHaveTextAsync(new Regex(@"^\[\]\n?$"));
        session.AssertNoProblems();
    }
}
