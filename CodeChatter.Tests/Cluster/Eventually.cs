namespace CodeChatter.Tests.Cluster;

/// <summary>Waits for a condition instead of sleeping for a guessed time.</summary>
internal static class Eventually
{
    /// <summary>Asks <paramref name="condition"/> again until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"{what} did not happen within {timeout.TotalSeconds} s");
            await Task.Delay(25);
        }
    }
}
