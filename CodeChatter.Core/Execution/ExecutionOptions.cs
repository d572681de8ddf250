using System.ComponentModel.DataAnnotations;

namespace CodeChatter.Core.Execution;

/// <summary>
/// Limits and sandbox settings, bound from the <c>Execution</c> configuration section and validated
/// at start-up. The defaults are the safe ones from the design; tighten freely, loosen with care.
/// </summary>
public sealed class ExecutionOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Execution";

    private const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    /// <summary>Wall-clock limit per run. A sleeping snippet uses no CPU: only this stops it.</summary>
    [Range(100, 600_000)]
    public int WallTimeLimitMs { get; set; } = 10_000;

    /// <summary>CPU-time limit per run, summed over all its processes.</summary>
    [Range(100, 600_000)]
    public int CpuTimeLimitMs { get; set; } = 5_000;

    /// <summary>Memory limit per run, including what it writes to its scratch tmpfs.</summary>
    [Range(16 * MiB, 64 * GiB)]
    public long MemoryLimitBytes { get; set; } = 256 * MiB;

    /// <summary>Most processes and threads a run may have at once.</summary>
    [Range(1, 4096)]
    public int MaxProcesses { get; set; } = 64;

    /// <summary>
    /// Bytes of each of stdout and stderr that pages and the API show; the rest, up to
    /// <see cref="StoredOutputBytes"/>, is kept and offered as a download.
    /// </summary>
    [Range(1024, 64 * MiB)]
    public int MaxOutputBytesPerStream { get; set; } = (int)(64 * KiB);

    /// <summary>
    /// Bytes kept of each of stdout and stderr; reaching this cap stops the run (<c>output_limit</c>).
    /// At least <see cref="MaxOutputBytesPerStream"/>.
    /// </summary>
    [Range(1024, 256 * MiB)]
    public int StoredOutputBytes { get; set; } = (int)MiB;

    /// <summary>Largest file a run may write (RLIMIT_FSIZE).</summary>
    [Range(KiB, 4 * GiB)]
    public long MaxFileSizeBytes { get; set; } = 16 * MiB;

    /// <summary>Size of each private tmpfs: the scratch directory, /tmp and /dev/shm.</summary>
    [Range(MiB, 4 * GiB)]
    public long ScratchSpaceBytes { get; set; } = 16 * MiB;

    /// <summary>Largest snippet accepted, in UTF-8 bytes.</summary>
    [Range(1, 16 * MiB)]
    public int MaxCodeBytes { get; set; } = (int)(64 * KiB);

    /// <summary>Largest standard input accepted, in UTF-8 bytes.</summary>
    [Range(0, 16 * MiB)]
    public int MaxStdinBytes { get; set; } = (int)(64 * KiB);

    /// <summary>Most open files per process.</summary>
    [Range(16, 65_536)]
    public int MaxOpenFiles { get; set; } = 256;

    /// <summary>Runs executing at once on this machine. Defaults to the number of cores.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRuns { get; set; } = Environment.ProcessorCount;

    /// <summary>Runs one person may have executing or queued at once.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRunsPerUser { get; set; } = 2;

    /// <summary>Runs that may wait for a free slot before new ones are rejected.</summary>
    [Range(0, 100_000)]
    public int QueueCapacity { get; set; } = 64;

    /// <summary>
    /// Sandboxes kept started and waiting for code, per language that supports it (0 turns this off).
    /// Each serves exactly one run and is replaced in the background.
    /// </summary>
    [Range(0, 64)]
    public int PrestartedSandboxesPerLanguage { get; set; } = 4;

    /// <summary>
    /// The nice value (0–19) a sandbox is pre-started at while others of its language wait: its start then
    /// yields the CPU to runs and requests, so refilling the pool does not slow the request that emptied it
    /// or the next one. Only a root server (a uid per box) lowers it, since a box is raised back to normal at
    /// its hand-over; a box started while none of its language waits starts at normal priority. Measured on
    /// a shared 2-core machine with back-to-back API runs: 19 with 4 boxes per language gave the lowest
    /// latency (API median 0.87x a bare python start, against 1.43x at normal priority with 4 boxes and
    /// 1.21–1.61x with 2); with only 2 boxes a low priority left too few ready.
    /// </summary>
    [Range(0, 19)]
    public int PrestartNiceness { get; set; } = 19;

    /// <summary>
    /// First of the unused uids the sandbox switches to when the server runs as root; slot N uses
    /// <c>SandboxUidBase + N</c>, so concurrent runs never share a uid.
    /// </summary>
    [Range(1000, 2_000_000_000)]
    public int SandboxUidBase { get; set; } = 61_000;

    /// <summary>Most images one message may display; later ones are left out and the reply says so.</summary>
    [Range(0, 100)]
    public int MaxImagesPerMessage { get; set; } = 10;

    /// <summary>Most bytes of rich output (images, HTML, reprs) one message may display.</summary>
    [Range(0, 64 * MiB)]
    public int MaxRichOutputBytesPerMessage { get; set; } = (int)(2 * MiB);

    /// <summary>Files a message leaves in its working folder that come back with its reply.</summary>
    public OutputFileOptions OutputFiles { get; set; } = new();

    /// <summary>A conversation's session ends after this many minutes without a message.</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 15;

    /// <summary>Live sessions one person may have at once; their oldest idle one is ended to make room.</summary>
    [Range(1, 100)]
    public int MaxSessionsPerUser { get; set; } = 3;

    /// <summary>Live sessions on this machine at once. Defaults to four per core.</summary>
    [Range(1, 10_000)]
    public int MaxSessions { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>Path of the bubblewrap binary.</summary>
    [Required]
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>
    /// Lets the server start without bubblewrap outside Development. Runs are then not isolated;
    /// the server logs this loudly at start-up. Never set it on a shared instance.
    /// </summary>
    public bool AllowUnsandboxed { get; set; }

    /// <summary>Where per-run host folders (holding the read-only snippet file) are made.</summary>
    public string? RunDirectory { get; set; }

    /// <summary>Configured languages by id (python, javascript, bash, c).</summary>
    public Dictionary<string, LanguageDefinition> Languages { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Nested options are not checked by ValidateDataAnnotations: their ranges are checked here.
        var nested = new List<ValidationResult>();
        Validator.TryValidateObject(OutputFiles, new ValidationContext(OutputFiles), nested, validateAllProperties: true);
        foreach (var problem in nested)
        {
            yield return new ValidationResult($"{nameof(OutputFiles)}: {problem.ErrorMessage}", [nameof(OutputFiles)]);
        }
        if (StoredOutputBytes < MaxOutputBytesPerStream)
        {
            yield return new ValidationResult(
                $"{nameof(StoredOutputBytes)} ({StoredOutputBytes}) must be at least {nameof(MaxOutputBytesPerStream)} ({MaxOutputBytesPerStream}).",
                [nameof(StoredOutputBytes)]);
        }
    }
}

/// <summary>Caps on the files one message gives back (<c>Execution:OutputFiles</c>).</summary>
public sealed class OutputFileOptions
{
    /// <summary>Most files one message gives back; the reply says how many more were left out.</summary>
    [Range(0, 100)]
    public int MaxFiles { get; set; } = 10;

    /// <summary>Largest file given back; a larger one is listed as left out.</summary>
    [Range(0, 64 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 5 * 1024 * 1024;
}
