namespace CodeChatter.Data.Entities;

/// <summary>
/// A personal API token. Only its SHA-256 hash is stored; the token itself is shown once, at creation.
/// The short prefix lets people tell their tokens apart and lets the server find the row fast.
/// </summary>
public class ApiToken
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public ChatUser? User { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] Hash { get; set; } = [];
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
