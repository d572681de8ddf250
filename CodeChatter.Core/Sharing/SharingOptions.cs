namespace CodeChatter.Core.Sharing;

/// <summary>How share links behave on this instance (configuration section <c>Sharing</c>).</summary>
public sealed class SharingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sharing";

    /// <summary>
    /// When true, a share link opens only for someone signed in (any account): for an instance whose
    /// conversations should not leave its own people even by a forwarded link. Off by default.
    /// </summary>
    public bool RequireSignIn { get; set; }
}
