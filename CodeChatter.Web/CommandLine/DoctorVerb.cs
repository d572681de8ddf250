using CodeChatter.Core.Execution;

namespace CodeChatter.Web.CommandLine;

/// <summary><c>doctor</c>: prints what isolation this machine gives; non-zero when runs would be unsafe.</summary>
internal static class DoctorVerb
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var doctor = services.GetRequiredService<SandboxDoctor>();
        var report = await doctor.ExamineAsync(CancellationToken.None);
        foreach (var check in report.Checks)
        {
            Console.WriteLine($"[{(check.Passed ? " ok " : "FAIL")}] {check.Name}: {check.Detail}");
        }
        Console.WriteLine(report.IsSafe
            ? $"Runs are isolated ({report.Level.ToWireName()})."
            : "Runs would NOT be safe on this machine: see the failed checks above.");
        return report.IsSafe ? 0 : 1;
    }
}
