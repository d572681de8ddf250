using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeChatter.Tests.Core.Execution;

/// <summary>The development fallback without bubblewrap: it still runs, and says it is not isolated.</summary>
[Collection(SandboxCollection.Name)]
public sealed class UnsandboxedFallbackTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Without_bubblewrap_runs_still_work_and_say_they_are_unsandboxed()
    {
        // Arrange
        sandbox.RequireLanguage("python");
        var options = SandboxFixture.LoadWebOptions();
        options.SandboxUidBase = sandbox.Options.SandboxUidBase;
        options.RunDirectory = Path.Combine(Path.GetTempPath(), $"codechatter-test-runs-{Guid.NewGuid():N}");
        using var executor = new SandboxedExecutor(
            new OptionsWrapper<ExecutionOptions>(options), new LanguageCatalog(new OptionsWrapper<ExecutionOptions>(options)),
            SandboxEnvironment.DetectWithoutBubblewrap(), NullLogger<SandboxedExecutor>.Instance);
        try
        {
            // Act
            var result = await executor.ExecuteAsync(new ExecutionRequest("python", "print(1)"));

            // Assert
            Assert.Equal(SandboxLevel.Unsandboxed, executor.Level);
            Assert.True(result.Status == RunStatus.Succeeded, $"{result.Status}: {result.Detail} {result.Stderr}");
            Assert.Equal("1\n", result.Stdout);
            Assert.Equal(SandboxLevel.Unsandboxed, result.SandboxLevel);
            Assert.True(SpinWait.SpinUntil(() => executor.IsCleanedUp, TimeSpan.FromSeconds(20)), "the run was not cleaned up");
            Assert.Empty(Directory.GetFileSystemEntries(options.RunDirectory));
            Assert.Empty(sandbox.TasksInRunCgroupsExceptWaiting());
        }
        finally
        {
            Directory.Delete(options.RunDirectory, recursive: true);
        }
    }
}
