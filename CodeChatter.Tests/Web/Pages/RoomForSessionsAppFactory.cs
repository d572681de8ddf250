namespace CodeChatter.Tests.Web.Pages;

/// <summary>
/// The app with room for every test's sessions. Each test is a new person, new conversations keep state in a
/// session by default, and sessions stay live while idle (15 minutes): with the machine-wide default (four
/// per core) a class of many tests would have its later tests' first messages refused.
/// </summary>
public sealed class RoomForSessionsAppFactory : ChatAppFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Execution:MaxSessions"] = "200" };
}
