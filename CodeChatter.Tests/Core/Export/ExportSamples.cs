using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Export;

namespace CodeChatter.Tests.Core.Export;

/// <summary>Conversations built as Core's queries would return them, for the exporters.</summary>
internal static class ExportSamples
{
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public const string HostileTable = "<table><tr><td>42</td></tr></table><script>alert(1)</script>";

    public static RunView Run(long id, long snippetId, RunStatus? status, string stdout = "", string stderr = "", int? exitCode = 0) =>
        new(id, 1, snippetId, "python", status, exitCode, null, stdout, stderr, false, false, 5, null, null,
            SandboxLevel.Bubblewrap, DateTime.UnixEpoch, status is null ? null : DateTime.UnixEpoch, ExecutionTrigger.Submit, null);

    public static MessageView Code(long snippetId, int sequence, string code, params RunView[] runs) =>
        Code(snippetId, sequence, "python", code, "", runs);

    public static MessageView Code(long snippetId, int sequence, string language, string code, string stdin, params RunView[] runs) =>
        new(snippetId, 1, sequence, SnippetKind.Code, language, code, stdin, DateTime.UnixEpoch, MessageView.RepliesOf(runs));

    public static MessageView Note(long snippetId, int sequence, string text) =>
        new(snippetId, 1, sequence, SnippetKind.Note, "markdown", text, "", DateTime.UnixEpoch, []);

    public static ConversationView Conversation(string title, string language, params MessageView[] messages) =>
        new(1, title, "owner", "owner@example.com", language, DateTime.UnixEpoch, DateTime.UnixEpoch, messages);

    /// <summary>
    /// Prints, an error, a note, a session run with its counter, a figure, a DataFrame-like table, a value,
    /// a file, a snippet in another language with standard input, and one never finished.
    /// </summary>
    public static ConversationView Rich()
    {
        var plot = Run(20, 3, RunStatus.Succeeded, "drawing\ndone\n") with
        {
            SessionGeneration = 1, ExecutionCounter = 2,
            Outputs =
            [
                new OutputItemView(100, RichMediaTypes.Png, Png.Length, "drawing\n".Length, "sha", null),
                new OutputItemView(101, RichMediaTypes.Html, HostileTable.Length, "drawing\ndone\n".Length, "sha", HostileTable),
                new OutputItemView(102, RichMediaTypes.PlainText, 3, "drawing\ndone\n".Length, "sha", "'x'"),
                new OutputItemView(103, RichMediaTypes.File, 12, "drawing\ndone\n".Length, "sha", null) { FileName = "out/data.csv" },
            ],
        };
        return Conversation(
            "Plots & errors: a/b", "python",
            Note(1, 1, "# Heading\n\nSome *notes*."),
            Code(2, 2, "print('hello')\nprint('world')", Run(10, 2, RunStatus.Succeeded, "old\n"), Run(11, 2, RunStatus.Succeeded, "hello\nworld\n")),
            Code(3, 3, "import matplotlib\nplot()\n", plot),
            Code(4, 4, "1/0", Run(30, 4, RunStatus.Failed, "", "Traceback (most recent call last):\nZeroDivisionError: division by zero\n", exitCode: 1)),
            Code(5, 5, "bash", "read x\necho $x", "hi\n", Run(40, 5, RunStatus.Succeeded, "hi\n") with { Language = "bash" }),
            Code(6, 6, "while True: pass", Run(50, 6, null)));
    }

    public static ExportSource Source(ConversationView conversation) =>
        new(conversation, new Dictionary<long, byte[]> { [100] = Png }, html => "SANITIZED:" + (html ?? "").Replace("<script>alert(1)</script>", "", StringComparison.Ordinal));
}
