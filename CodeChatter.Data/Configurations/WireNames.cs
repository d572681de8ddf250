using CodeChatter.Core.Execution;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CodeChatter.Data.Configurations;

internal static class WireNames
{
    public static readonly ValueConverter<RunStatus, string> RunStatus = new(
        status => status.ToWireName(),
        name => Parse(name));

    public static readonly ValueConverter<SandboxLevel, string> SandboxLevel = new(
        level => level.ToWireName(),
        name => name == "bubblewrap" ? Core.Execution.SandboxLevel.Bubblewrap : Core.Execution.SandboxLevel.Unsandboxed);

    private static RunStatus Parse(string name) =>
        RunStatusNames.TryParse(name, out var status) ? status : Core.Execution.RunStatus.InternalError;
}
