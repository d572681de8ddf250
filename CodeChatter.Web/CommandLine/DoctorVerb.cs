using System.CommandLine;
using CodeChatter.Core.Execution;

namespace CodeChatter.Web.CommandLine;

/// <summary><c>doctor</c>: prints what isolation this machine gives; non-zero when runs would be unsafe.</summary>
internal static class DoctorVerb
{
    public static Command Create(VerbServices services)
    {
        var command = new Command("doctor",
            "Report what isolation this machine gives (bubblewrap, namespaces, uid switching, cgroups, the seccomp filter), " +
            "proving each limit with a real probe run. Exits 1 when runs would be unsafe.");
        command.SetAction((_, cancellationToken) => RunAsync(services.Provider, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var doctor = services.GetRequiredService<SandboxDoctor>();
        var report = await doctor.ExamineAsync(cancellationToken);
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
