namespace CodeChatter.Core.Observability;

/// <summary>
/// The steps of a run's path, as the <c>phase</c> tag of <c>codechatter.run.phase.duration</c>: an
/// operator (and the benchmark) reads from them where a run's time goes. The request's own total is
/// ASP.NET Core's <c>http.server.request.duration</c>.
/// </summary>
public static class RunPhases
{
    /// <summary>Checking an API token (the bearer scheme's lookup).</summary>
    public const string TokenCheck = "token_check";

    /// <summary>Storing the message with its in-flight run.</summary>
    public const string StoreMessage = "store_message";

    /// <summary>Admission: the account and daily quota query, then a run slot.</summary>
    public const string Admission = "admission";

    /// <summary>Loading the conversation's attachments for <c>inputs/</c>.</summary>
    public const string Attachments = "attachments";

    /// <summary>Taking a pre-started box for the code.</summary>
    public const string BoxReady = "box_ready";

    /// <summary>Launching a box for the code when none was waiting (its interpreter's start-up then counts in <see cref="Run"/>).</summary>
    public const string ColdStart = "cold_start";

    /// <summary>The run itself, from handing the box its code to its result (the host's view).</summary>
    public const string Run = "run";

    /// <summary>Keeping the reply's items within the person's storage quota.</summary>
    public const string StorageQuota = "storage_quota";

    /// <summary>Storing the result.</summary>
    public const string StoreResult = "store_result";

    /// <summary>Reading the stored run back for the API's answer.</summary>
    public const string ReadBack = "read_back";

    /// <summary>Starting one pre-started box until its interpreter waits for code (the pool's refill, off the request's path).</summary>
    public const string Prestart = "prestart";

    /// <summary>Removing a finished box: its cgroup, its uid's processes, its host folder (off the request's path).</summary>
    public const string Cleanup = "cleanup";
}
