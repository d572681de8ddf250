using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;
using Microsoft.Extensions.Options;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// <c>exec --language L [--stdin FILE] FILE|-</c>: runs one snippet through the real sandbox and prints
/// the result as one JSON object. Exits 0 whatever the snippet's status; non-zero only for bad usage.
/// </summary>
internal static class ExecVerb
{
    // Relaxed escaping: this goes to a terminal or a pipe, never into a page.
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }.UseWireNames();

    public static Command Create(VerbServices services)
    {
        var language = new Option<string>("--language") { Description = "The snippet's language (python, javascript, bash, c, … as configured).", Required = true, HelpName = "L" };
        var stdin = new Option<string?>("--stdin") { Description = "A file whose text is the snippet's standard input.", HelpName = "FILE" };
        var file = new Argument<string>("FILE|-") { Description = "The snippet's file, or - to read it from standard input." };
        // The parser takes an unknown "--x" as the file when the file is still missing: name it as the option it is.
        file.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && value.StartsWith("--", StringComparison.Ordinal))
            {
                result.AddError($"Unrecognized option '{value}'.");
            }
        });
        var command = new Command("exec", "Run one snippet through the real sandbox and print the result as one JSON object (exit 0 whatever the snippet's status).")
        {
            language, stdin, file,
        };
        command.SetAction(parsed => RunAsync(services.Provider, parsed.GetRequiredValue(language), parsed.GetValue(stdin), parsed.GetRequiredValue(file)));
        return command;
    }

    public static async Task<int> RunAsync(IServiceProvider services, string language, string? stdinFile, string codeFile)
    {
        var code = codeFile == "-" ? await Console.In.ReadToEndAsync() : await ReadFileAsync(codeFile);
        var stdin = stdinFile is null ? "" : await ReadFileAsync(stdinFile);
        if ((MessageText.NulProblem(code, "code") ?? MessageText.NulProblem(stdin, "input")) is { } nul)
        {
            throw new UsageException(nul);
        }

        var executor = services.GetRequiredService<ICodeExecutor>();
        var result = await executor.ExecuteAsync(new ExecutionRequest(language, code) { Stdin = stdin });
        await using var stdout = Console.OpenStandardOutput();
        // The API's run object; the ids are 0 because the verb stores nothing.
        var shown = services.GetRequiredService<IOptions<ExecutionOptions>>().Value.MaxOutputBytesPerStream;
        var run = RunView.FromResult(0, 0, 0, language, ExecutionTrigger.Submit, result).ShownUpTo(shown);
        await JsonSerializer.SerializeAsync(stdout, run, Json);
        await stdout.WriteAsync("\n"u8.ToArray());
        return 0;
    }

    private static async Task<string> ReadFileAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {exception.Message}");
        }
    }
}
