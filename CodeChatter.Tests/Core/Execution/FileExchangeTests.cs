using System.Text;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>
/// Files in and out of fresh Python runs, through the real sandbox: a conversation's attachments are read
/// only under <c>inputs/</c>, and files a run leaves in its working folder come back with its reply.
/// </summary>
/// <remarks>Runs twice: once on cold sandboxes, once with a pre-started pool (runs with inputs still start cold).</remarks>
public abstract class FileExchangeTests
{
    private readonly SandboxFixture sandbox;

    protected FileExchangeTests(SandboxFixture sandbox, bool prestarted)
    {
        this.sandbox = sandbox;
        sandbox.UsePrestarted = prestarted;
    }

    private static InputFile Input(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new InputFile(name, bytes, OutputFingerprint.HashOf(bytes));
    }

    [Fact]
    public async Task A_file_written_by_the_run_comes_back_with_its_name_and_bytes_and_the_snippet_file_does_not()
    {
        // Act
        var result = await sandbox.RunAsync("python", "print('writing')\nopen('out.csv', 'w').write('x,y\\n1,1\\n')");

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("writing\n", result.Stdout);
        var file = Assert.Single(result.Outputs);
        Assert.Equal(RichMediaTypes.File, file.MediaType);
        Assert.Equal("out.csv", file.FileName);
        Assert.Equal("x,y\n1,1\n", Encoding.UTF8.GetString(file.Data));
        Assert.Equal("writing\n".Length, file.StdoutPosition);
        Assert.Null(result.OutputsOmitted);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Files_in_folders_come_back_by_relative_path_in_name_order_and_caches_links_and_pipes_do_not()
    {
        // Arrange
        const string code = """
            import os
            os.makedirs('results/deep', exist_ok=True)
            open('results/deep/b.txt', 'w').write('b')
            open('a.txt', 'w').write('a')
            os.symlink('/etc/ld.so.cache', 'link')
            os.mkfifo('pipe')
            os.makedirs('__pycache__')
            open('__pycache__/m.pyc', 'wb').write(b'x')
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal(["a.txt", "results/deep/b.txt"], result.Outputs.Select(o => o.FileName));
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Past_the_file_caps_files_are_left_out_and_the_reply_says_so()
    {
        // Arrange: 12 small files and one over 5 MiB (the scratch space is 16 MiB).
        const string code = """
            for i in range(12):
                open('f%02d.txt' % i, 'w').write(str(i))
            open('big.bin', 'wb').write(b'0' * (5 * 1024 * 1024 + 1))
            """;

        // Act
        var result = await sandbox.RunAsync("python", code);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal(sandbox.Options.OutputFiles.MaxFiles, result.Outputs.Count);
        Assert.DoesNotContain(result.Outputs, o => o.FileName == "big.bin");
        Assert.Contains("1 file left out (larger than 5 MiB)", result.OutputsOmitted);
        Assert.Contains("left out (limit 10 per message)", result.OutputsOmitted);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_forged_file_record_with_a_climbing_name_is_kept_under_a_safe_name()
    {
        // Arrange: the snippet runs in the process that writes records and can send one by hand; the name is all it controls.
        const string forge = """
            import builtins
            emit = [c.cell_contents for c in builtins.display.__closure__ if callable(c.cell_contents) and c.cell_contents.__name__ == 'emit'][0]
            emit('file', b'../../etc/x\0owned')
            emit('file', b'<script>.html\0<b>')
            """;

        // Act
        var result = await sandbox.RunAsync("python", forge);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal(["etc/x", "<script>.html"], result.Outputs.Select(o => o.FileName));
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Attachments_are_read_only_under_inputs_and_never_come_back_as_output_files()
    {
        // Arrange
        const string code = """
            import pathlib
            print(open('inputs/data.csv').read(), end='')
            print(sorted(p.name for p in pathlib.Path('inputs').iterdir()))
            for attempt in (lambda: open('inputs/data.csv', 'a').write('x'), lambda: open('inputs/new.txt', 'w').write('x')):
                try:
                    attempt()
                    print('wrote')
                except OSError as error:
                    print(type(error).__name__)
            """;

        // Act
        var result = await sandbox.RunAsync("python", code, inputs: [Input("data.csv", "x,y\n1,2\n"), Input("notes.txt", "hi")]);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("x,y\n1,2\n['data.csv', 'notes.txt']\nOSError\nOSError\n", result.Stdout.Replace("PermissionError", "OSError"));
        Assert.Empty(result.Outputs);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task A_run_without_attachments_has_no_inputs_folder_and_no_host_path_in_its_mount_table()
    {
        // Arrange: another conversation's run with an attachment, just before.
        await sandbox.RunAsync("python", "print(1)", inputs: [Input("secret.txt", "theirs")]);

        // Act
        var result = await sandbox.RunAsync("python", "import os\nprint(os.path.exists('inputs'))\nprint(open('/proc/self/mountinfo').read())");

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.StartsWith("False\n", result.Stdout);
        Assert.DoesNotContain(sandbox.RunRoot, result.Stdout);
        Assert.DoesNotContain("secret", result.Stdout);
        sandbox.AssertNothingLeftBehind();
    }

    [Fact]
    public async Task Pandas_reads_an_attached_CSV_and_writes_a_file_that_comes_back()
    {
        // Act
        var result = await sandbox.RunAsync("python",
            "import pandas as pd\nframe = pd.read_csv('inputs/data.csv')\nframe['z'] = frame.x * 10\nframe.to_csv('out.csv', index=False)\nprint(frame.z.sum())",
            new ExecutionLimits { WallTimeMs = 30_000, CpuTimeMs = 20_000 }, inputs: [Input("data.csv", "x,y\n1,2\n3,4\n")]);

        // Assert
        Assert.True(result.Status == RunStatus.Succeeded, result.Stderr);
        Assert.Equal("40\n", result.Stdout);
        var file = Assert.Single(result.Outputs);
        Assert.Equal("out.csv", file.FileName);
        Assert.Equal("x,y,z\n1,2,10\n3,4,30\n", Encoding.UTF8.GetString(file.Data));
        sandbox.AssertNothingLeftBehind();
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ColdStartFileExchangeTests(SandboxFixture sandbox) : FileExchangeTests(sandbox, prestarted: false);

[Collection(SandboxCollection.Name)]
public sealed class PrestartedFileExchangeTests(SandboxFixture sandbox) : FileExchangeTests(sandbox, prestarted: true);
