using System.Text.Encodings.Web;
using System.Text.Json;
using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;

namespace CodeChatter.Web.CommandLine;

/// <summary>
/// <c>exec --language L [--stdin FILE] FILE|-</c>: runs one snippet through the real sandbox and prints
/// the result as one JSON object. Exits 0 whatever the snippet's status; non-zero only for bad usage.
/// </summary>
internal static class ExecVerb
{
    // Relaxed escaping: this goes to a terminal or a pipe, never into a page.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        string? language = null, stdinFile = null, codeFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--language" when i + 1 < args.Length: language = args[++i]; break;
                case "--stdin" when i + 1 < args.Length: stdinFile = args[++i]; break;
                case var positional when codeFile is null && (positional == "-" || !positional.StartsWith("--", StringComparison.Ordinal)):
                    codeFile = positional;
                    break;
                default: throw new UsageException($"unexpected argument '{args[i]}'. Usage: exec --language L [--stdin FILE] FILE|-");
            }
        }
        if (language is null || codeFile is null)
        {
            throw new UsageException("usage: exec --language L [--stdin FILE] FILE|-");
        }
        var code = codeFile == "-" ? await Console.In.ReadToEndAsync() : await ReadFileAsync(codeFile);
        var stdin = stdinFile is null ? "" : await ReadFileAsync(stdinFile);
        if ((MessageText.NulProblem(code, "code") ?? MessageText.NulProblem(stdin, "input")) is { } nul)
        {
            throw new UsageException(nul);
        }

        var executor = services.GetRequiredService<ICodeExecutor>();
        var result = await executor.ExecuteAsync(new ExecutionRequest(language, code) { Stdin = stdin });
        await using var stdout = Console.OpenStandardOutput();
        await JsonSerializer.SerializeAsync(stdout, RunOutput.From(language, result), Json);
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

    /// <summary>The API's run shape, without the ids that only stored runs have.</summary>
    private sealed record RunOutput(
        string Language, string Status, int? ExitCode, int? Signal, string Stdout, string Stderr,
        bool StdoutTruncated, bool StderrTruncated, long WallTimeMs, long? CpuTimeMs, long? PeakMemoryBytes,
        DateTimeOffset StartedAt, string SandboxLevel, string? Detail)
    {
        public static RunOutput From(string language, ExecutionResult result) => new(
            language, result.Status.ToWireName(), result.ExitCode, result.Signal, result.Stdout, result.Stderr,
            result.StdoutTruncated, result.StderrTruncated, result.WallTimeMs, result.CpuTimeMs, result.PeakMemoryBytes,
            result.StartedAt, result.SandboxLevel.ToWireName(), result.Detail);
    }
}
