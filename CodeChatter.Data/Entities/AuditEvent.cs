namespace CodeChatter.Data.Entities;

/// <summary>Something an admin should be able to look back on: admin actions, lockouts, refused runs.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;

    /// <summary>Who did it; null for the system.</summary>
    public string? ActorId { get; set; }

    public string Action { get; set; } = "";
    public string? Target { get; set; }
    public string? Detail { get; set; }
}
