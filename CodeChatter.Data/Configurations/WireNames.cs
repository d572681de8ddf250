using CodeChatter.Core.Chat;
using CodeChatter.Core.Execution;
using CodeChatter.Core.Execution.Sessions;
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

    public static readonly ValueConverter<ConversationMode, string> ConversationMode = new(
        mode => mode.ToWire(),
        name => ParseMode(name));

    public static readonly ValueConverter<SessionEvent, string> SessionEvent = new(
        value => SessionEventNames.ToWire(value),
        name => SessionEventNames.Parse(name));

    // Rows written before sessions existed say "fresh"; anything unreadable is safest run fresh too.
    private static ConversationMode ParseMode(string name) =>
        ConversationModes.TryParse(name, out var mode) ? mode : Core.Chat.ConversationMode.Fresh;

    private static RunStatus Parse(string name) =>
        RunStatusNames.TryParse(name, out var status) ? status : Core.Execution.RunStatus.InternalError;
}
