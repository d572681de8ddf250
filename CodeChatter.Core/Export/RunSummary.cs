using CodeChatter.Core.Chat.Reading;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Export;

/// <summary>Words for how a run ended and what it left, shared by every export so they say the same thing.</summary>
public static class RunSummary
{
    /// <summary>
    /// One line on a run that did not succeed (<c>Run ended: failed (exit code 1).</c>); null when it
    /// succeeded or is still in flight. An export states the status rather than inventing a traceback:
    /// the snippet's own traceback, if it printed one, is already in its stderr.
    /// </summary>
    public static string? StatusLine(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status is not { } status || status == RunStatus.Succeeded) return null;
        var how = new List<string>();
        if (run.ExitCode is { } exitCode) how.Add($"exit code {exitCode}");
        if (run.Signal is { } signal) how.Add($"signal {signal}");
        if (!string.IsNullOrWhiteSpace(run.Detail)) how.Add(run.Detail.Trim());
        return $"Run ended: {status.ToWireName()}{(how.Count > 0 ? $" ({string.Join(", ", how)})" : "")}.";
    }

    /// <summary>One line naming a file a run left in its working folder (files are downloads, never inlined).</summary>
    public static string FileLine(OutputItemView file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return $"File written: {file.FileName ?? "(unnamed)"} ({file.Size} bytes).";
    }
}
