using CliWrap;
using Microsoft.Extensions.Logging;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// matplotlib's font list, built once per server on the host and bound read-only into every box.
/// </summary>
/// <remarks>
/// The first <c>import matplotlib</c> in an empty config folder scans the system's fonts and writes
/// <c>fontlist-vNNN.json</c>; in a box that is every run's first import (the box's /tmp is new each
/// time): measured in a box at 0.16-0.6 s of a first plot's 1.2-2.1 s (busy two-core host). The server builds it in the background
/// at start-up, in a folder of its run directory that only the server writes, with the same
/// <c>/usr/bin/python3</c> and fonts the boxes see (/usr is bound into them as it is). Boxes started
/// before it is ready simply build their own. The folder is named like a box, so a server that is gone
/// leaves nothing the next one does not remove.
/// </remarks>
internal sealed class MatplotlibCache : IDisposable
{
    /// <summary>The extension of the cache folder in the run directory.</summary>
    public const string Extension = ".matplotlib";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(60);
    private const UnixFileMode ReadableDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<string> _files = [];

    /// <summary>Starts building the cache in the background.</summary>
    public MatplotlibCache(string runRoot, ILogger logger)
    {
        _directory = Path.Combine(runRoot, ServerInstance.NewBoxName() + Extension);
        Ready = Task.Run(() => BuildAsync(logger));
    }

    /// <summary>The host files to bind into a box's matplotlib folder; empty until the cache is built.</summary>
    public IReadOnlyList<string> Files => Volatile.Read(ref _files);

    /// <summary>Completes when the build is over (built or not).</summary>
    public Task Ready { get; }

    private async Task BuildAsync(ILogger logger)
    {
        try
        {
            Directory.CreateDirectory(_directory, ReadableDirectoryMode);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(BuildTimeout);
            var result = await Cli.Wrap("/usr/bin/python3")
                .WithArguments(["-c", "import matplotlib.font_manager"])
                .WithWorkingDirectory(_directory)
                .WithEnvironmentVariables(new Dictionary<string, string?>
                {
                    ["MPLCONFIGDIR"] = _directory, ["MPLBACKEND"] = "Agg", ["HOME"] = _directory,
                })
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(timeout.Token);
            if (result.ExitCode != 0)
            {
                logger.LogInformation("matplotlib is not importable on this machine; no font cache prepared for the boxes");
                return;
            }
            Volatile.Write(ref _files, Directory.GetFiles(_directory, "fontlist-*.json"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or OperationCanceledException
            or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogWarning(exception, "Preparing matplotlib's font cache failed; each box builds its own");
        }
    }

    /// <summary>Stops a build still running and removes the folder.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            Ready.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        try
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
        // _stop is not disposed: a build cut short may still be unwinding its cancellation callbacks.
    }
}
