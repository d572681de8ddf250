using CodeChatter.Core.Execution.Sessions;

namespace CodeChatter.Core.Chat;

/// <summary>
/// The one spelling of <see cref="SessionEvent"/> outside the process: snake_case (<c>killed_state_lost</c>),
/// the same as the JSON wire names (<see cref="Reading.WireJson"/>), in the database and on pages.
/// </summary>
public static class SessionEventNames
{
    /// <summary><c>continued</c>, <c>started</c>, <c>killed_state_lost</c>, <c>ended_by_memory</c> or <c>ended_by_exit</c>.</summary>
    public static string ToWire(SessionEvent value) => value switch
    {
        SessionEvent.Continued => "continued",
        SessionEvent.Started => "started",
        SessionEvent.KilledStateLost => "killed_state_lost",
        SessionEvent.EndedByMemory => "ended_by_memory",
        SessionEvent.EndedByExit => "ended_by_exit",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>Reads a wire name back; false for anything else.</summary>
    public static bool TryParse(string? name, out SessionEvent value)
    {
        foreach (var candidate in Enum.GetValues<SessionEvent>())
        {
            if (string.Equals(ToWire(candidate), name, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Reads a stored wire name; one this version does not know reads as <see cref="SessionEvent.Continued"/>.</summary>
    public static SessionEvent Parse(string name) => TryParse(name, out var value) ? value : SessionEvent.Continued;
}
