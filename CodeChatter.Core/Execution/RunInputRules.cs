using System.Text;
using Microsoft.Extensions.Options;

namespace CodeChatter.Core.Execution;

/// <summary>
/// The one set of rules a run's input must pass: a language this machine can run, and code and stdin within
/// their size limits. <c>RunService</c> asks it before anything is stored (to name the field); the executor
/// asks it again, since some callers (the <c>exec</c> verb) reach the executor directly.
/// </summary>
public sealed class RunInputRules(LanguageCatalog languages, IOptions<ExecutionOptions> options)
{
    /// <summary>Why <paramref name="language"/> cannot be run, or null when it is available.</summary>
    public string? LanguageProblem(string? language) =>
        languages.TryGetAvailable(language, out _)
            ? null
            : $"Unknown language '{language}'. Choose one of: {string.Join(", ", languages.Available.Select(l => l.Id))}.";

    /// <summary>Why <paramref name="text"/> is too large to send, or null when it is within the limit.</summary>
    /// <param name="text">The code (or a note, which has the same limit).</param>
    /// <param name="what">What the text is, for the message: "code", "note".</param>
    public string? TextSizeProblem(string text, string what) =>
        Encoding.UTF8.GetByteCount(text) is var size && size > options.Value.MaxCodeBytes
            ? $"The {what} is {size:N0} bytes; the limit is {options.Value.MaxCodeBytes:N0}."
            : null;

    /// <summary>Why <paramref name="stdin"/> is too large, or null when it is within the limit (or absent).</summary>
    public string? StdinSizeProblem(string? stdin) =>
        stdin is not null && Encoding.UTF8.GetByteCount(stdin) is var size && size > options.Value.MaxStdinBytes
            ? $"The input is {size:N0} bytes; the limit is {options.Value.MaxStdinBytes:N0}."
            : null;

    /// <summary>The first rule <paramref name="request"/> breaks, or null when it may run.</summary>
    public string? FirstProblem(ExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return LanguageProblem(request.Language) ?? TextSizeProblem(request.Code, "code") ?? StdinSizeProblem(request.Stdin);
    }
}
