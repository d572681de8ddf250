namespace CodeChatter.Core.Operations;

/// <summary>Whether the database answers a query now: the readiness check's view of it.</summary>
public interface IDatabaseProbe
{
    /// <summary>Runs one cheap query; true when the database answered.</summary>
    Task<bool> AnswersAsync(CancellationToken cancellationToken = default);
}
