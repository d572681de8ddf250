namespace CodeChatter.Core.Scheduling;

/// <summary>
/// How many runs are executing now and how many wait for a place to execute, for the admin dashboard and the
/// metrics. On one machine <see cref="FairRunQueue"/> knows; in a cluster the runs execute on runners, so a web
/// instance has to read the figures from where they are shared.
/// </summary>
public interface IRunLoad
{
    /// <summary>Runs executing now.</summary>
    int Running { get; }

    /// <summary>Runs admitted and waiting to execute now.</summary>
    int Waiting { get; }
}
