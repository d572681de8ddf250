namespace CodeChatter.Core.Execution;

/// <summary>How strongly a run was isolated. Reported with every result.</summary>
public enum SandboxLevel
{
    /// <summary>bubblewrap namespaces, a private scratch directory, rlimits and (where available) cgroups.</summary>
    Bubblewrap,
    /// <summary>rlimits only: a development fallback when bubblewrap is missing. Never safe for untrusted code.</summary>
    Unsandboxed,
}

/// <summary>Wire names of <see cref="SandboxLevel"/>.</summary>
public static class SandboxLevelNames
{
    /// <summary><c>bubblewrap</c> or <c>unsandboxed</c>.</summary>
    public static string ToWireName(this SandboxLevel level) => level switch
    {
        SandboxLevel.Bubblewrap => "bubblewrap",
        _ => "unsandboxed",
    };
}
