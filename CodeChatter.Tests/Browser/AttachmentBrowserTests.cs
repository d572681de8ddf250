using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CodeChatter.Tests.Browser.ChatSteps;
using static Microsoft.Playwright.Assertions;

namespace CodeChatter.Tests.Browser;

/// <summary>Attaching files in real Chromium on real Kestrel, with the keyboard, with script and without.</summary>
[Collection(BrowserCollection.Name)]
public class AttachmentBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_person_attaches_downloads_and_removes_a_file_and_an_oversized_one_is_refused_in_words(bool script)
    {
        await using var session = await browser.NewSessionAsync(new BrowserNewContextOptions { JavaScriptEnabled = script, AcceptDownloads = true });
        var page = session.Page;
        await RegisterAsync(page);
        if (script)
        {
            await StartConversationAsync(page, "print(1)");
        }
        else
        {
            await page.GotoAsync("/Conversations/New");
            await page.Locator("textarea#code").FillAsync("print(1)");
            await page.Locator("form#compose button[type=submit]").ClickAsync();
            await Expect(page.Locator("#chat")).ToBeVisibleAsync();
        }
        var attachments = page.Locator("#attachments");
        var status = page.Locator(".status-message");

        await page.Locator("#attach-file").SetInputFilesAsync(new FilePayload { Name = "data.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("a,b\n1,2\n") });
        await page.Locator("#attach button[type=submit]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(status).ToContainTextAsync("Attached data.csv (8 B)");
        await Expect(attachments.Locator("li.attachment")).ToHaveCountAsync(1);
        var download = await page.RunAndWaitForDownloadAsync(() => attachments.Locator("a.attachment-download").ClickAsync());
        Assert.Equal("data.csv", download.SuggestedFilename);

        // Over the limit by far: Kestrel would cut the upload off mid-way; the page still says why.
        // From a file on disk: a buffer this large crawls through Playwright's protocol on a busy machine.
        var huge = Path.Combine(Directory.CreateTempSubdirectory("codechatter-upload-").FullName, "huge.bin");
        await File.WriteAllBytesAsync(huge, new byte[12 * 1024 * 1024]);
        await page.Locator("#attach-file").SetInputFilesAsync(huge, new LocatorSetInputFilesOptions { Timeout = 60_000 });
        await page.Locator("#attach button[type=submit]").ClickAsync();

        await Expect(status).ToHaveTextAsync("Nothing was attached: the upload is larger than 5 MiB, the most one attachment may be.");
        await Expect(attachments.Locator("li.attachment")).ToHaveCountAsync(1);
        // The browser reads the file when the form is sent, so it stays until the answer is in.
        Directory.Delete(Path.GetDirectoryName(huge)!, recursive: true);

        await attachments.Locator("form.attachment-remove button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(status).ToHaveTextAsync(new Regex("^Removed data.csv"));
        await Expect(attachments.Locator("li.attachment")).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }
}
