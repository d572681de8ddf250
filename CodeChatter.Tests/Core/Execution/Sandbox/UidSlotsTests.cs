using CliWrap;
using CodeChatter.Core.Execution.Sandbox;

namespace CodeChatter.Tests.Core.Execution.Sandbox;

public sealed class UidSlotsTests
{
    [Fact]
    public async Task A_uid_whose_last_holder_died_without_cleaning_up_is_swept_before_it_is_handed_out()
    {
        // Arrange: a uid range of this test alone, and a process left under its first uid by a holder
        // that died holding the lock (its pid still in the lock file).
        if (NativeMethods.GetEffectiveUserId() != 0) Assert.Fail("switching a process to a slot uid needs root: run the tests as root");
        var firstUid = 3_000_000 + Environment.ProcessId % 100_000 * 10;
        var locks = Directory.CreateTempSubdirectory("codechatter-test-locks-").FullName;
        await File.WriteAllTextAsync(Path.Combine(locks, $"uid-{firstUid}.lock"), "4194304");
        using var stop = new CancellationTokenSource();
        var orphan = Cli.Wrap("/usr/bin/setpriv")
            .WithArguments([$"--reuid={firstUid}", $"--regid={firstUid}", "--clear-groups", "--", "/bin/sleep", "300"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(default, stop.Token);
        Assert.True(SpinWait.SpinUntil(() => UidSlots.ProcessesOwnedBy(firstUid).Count == 1, TimeSpan.FromSeconds(10)), "the orphan did not start");
        var slots = new UidSlots(firstUid, 1, locks);
        try
        {
            // Act
            using (var lease = await slots.AcquireAsync(CancellationToken.None))
            {
                // Assert
                Assert.Equal(firstUid, lease.Uid);
                Assert.Empty(UidSlots.ProcessesOwnedBy(firstUid));
            }
            // A clean release leaves the lock file empty: the next holder need not sweep.
            Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(locks, $"uid-{firstUid}.lock")));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await orphan;
            }
            catch (OperationCanceledException)
            {
            }
            Directory.Delete(locks, recursive: true);
        }
    }
}
