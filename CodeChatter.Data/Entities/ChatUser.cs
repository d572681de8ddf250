using Microsoft.AspNetCore.Identity;

namespace CodeChatter.Data.Entities;

/// <summary>A person who signs in. The first account registered becomes the admin.</summary>
public class ChatUser : IdentityUser
{
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>A disabled person cannot sign in, run code, or use their API tokens.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>Runs allowed per day; null means the instance default.</summary>
    public int? DailyRunQuota { get; set; }
}
