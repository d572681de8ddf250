using CodeChatter.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CodeChatter.Data;

/// <summary>
/// The one database: Identity's tables plus conversations, snippets, runs, tokens and the audit log, and the
/// Data Protection keys that sign cookies when several web instances must read each other's (see
/// <c>DataProtectionKeys</c>; the single-instance default keeps them as files in the data directory).
/// </summary>
public class ChatDbContext(DbContextOptions<ChatDbContext> options) : IdentityDbContext<ChatUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Snippet> Snippets => Set<Snippet>();
    public DbSet<Execution> Executions => Set<Execution>();
    public DbSet<ExecutionOutput> ExecutionOutputs => Set<ExecutionOutput>();
    public DbSet<ConversationAttachment> ConversationAttachments => Set<ConversationAttachment>();
    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ChatDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        OwnershipQueries.SetOwnersOfNewRunsAsync(this, synchronous: true, CancellationToken.None).GetAwaiter().GetResult();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await OwnershipQueries.SetOwnersOfNewRunsAsync(this, synchronous: false, cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC. SQLite keeps no kind, so it is restored on the way out; DateTime (not
        // DateTimeOffset) because SQLite can order and compare it in SQL.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
