using CodeChatter.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CodeChatter.Data.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.Title).HasMaxLength(200);
        builder.Property(c => c.DefaultLanguage).HasMaxLength(32);
        builder.Property(c => c.Mode).HasConversion(WireNames.ConversationMode).HasMaxLength(16);
        builder.HasOne(c => c.Owner).WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        // The conversation list: one person's, newest first.
        builder.HasIndex(c => new { c.OwnerId, c.UpdatedAt });
    }
}

internal sealed class SnippetConfiguration : IEntityTypeConfiguration<Snippet>
{
    public void Configure(EntityTypeBuilder<Snippet> builder)
    {
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Language).HasMaxLength(32);
        builder.HasOne(s => s.Conversation).WithMany(c => c.Snippets).HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.ConversationId, s.Sequence }).IsUnique();
        // The languages a person has used (the runs page's filter): probed per language and conversation.
        builder.HasIndex(s => new { s.Language, s.ConversationId });
    }
}

internal sealed class ExecutionConfiguration : IEntityTypeConfiguration<Execution>
{
    public void Configure(EntityTypeBuilder<Execution> builder)
    {
        builder.Property(e => e.Trigger).HasConversion<string>().HasMaxLength(32);
        // Statuses are stored by their wire names, the one vocabulary of pages, API and CLI.
        builder.Property(e => e.Status).HasConversion(WireNames.RunStatus).HasMaxLength(32);
        builder.Property(e => e.SandboxLevel).HasConversion(WireNames.SandboxLevel).HasMaxLength(32);
        builder.Property(e => e.SessionEvent).HasConversion(WireNames.SessionEvent).HasMaxLength(32);
        builder.Ignore(e => e.IsRunning);
        // Output is kept as its UTF-8 bytes (BLOB on SQLite, bytea on PostgreSQL), never as text: Microsoft.Data.Sqlite binds a string of
        // more than 512 bytes NUL-terminated, so a TEXT column kept only what came before a NUL the
        // snippet printed. Output is shown and compared, never searched in SQL.
        builder.Property(e => e.Stdout).HasConversion(OutputBytes.Converter);
        builder.Property(e => e.Stderr).HasConversion(OutputBytes.Converter);
        // Typed input is kept losslessly for the same reason: a person can type a NUL (Ctrl+@).
        builder.Property(e => e.TypedInput).HasConversion(OutputBytes.Converter);
        builder.Property(e => e.OutputsOmitted).HasMaxLength(1000);
        builder.HasOne(e => e.Snippet).WithMany(s => s.Executions).HasForeignKey(e => e.SnippetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.SnippetId, e.StartedAt });
        // The runs page: one person's runs, newest first, counted and paged from the index alone. Status is
        // in it so admission's count of a person's runs today (refused ones left out) never reads the table.
        builder.HasIndex(e => new { e.OwnerId, e.StartedAt, e.Status });
        builder.HasIndex(e => e.StartedAt);
        builder.HasIndex(e => new { e.Status, e.StartedAt });
        // Finding runs cut off by a stop, at start-up.
        builder.HasIndex(e => e.FinishedAt);
    }
}

internal sealed class ExecutionOutputConfiguration : IEntityTypeConfiguration<ExecutionOutput>
{
    public void Configure(EntityTypeBuilder<ExecutionOutput> builder)
    {
        builder.Property(o => o.MediaType).HasMaxLength(64);
        builder.Property(o => o.Sha256).HasMaxLength(64);
        builder.Property(o => o.FileName).HasMaxLength(400);
        builder.HasOne(o => o.Execution).WithMany(e => e.Outputs).HasForeignKey(o => o.ExecutionId).OnDelete(DeleteBehavior.Cascade);
        // A run's items in order, read with its reply.
        builder.HasIndex(o => new { o.ExecutionId, o.Sequence }).IsUnique();
    }
}

internal sealed class ConversationAttachmentConfiguration : IEntityTypeConfiguration<ConversationAttachment>
{
    public void Configure(EntityTypeBuilder<ConversationAttachment> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(400);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.HasOne(a => a.Conversation).WithMany().HasForeignKey(a => a.ConversationId).OnDelete(DeleteBehavior.Cascade);
        // One file per name in a conversation: attaching the same name again replaces it.
        builder.HasIndex(a => new { a.ConversationId, a.Name }).IsUnique();
    }
}

internal sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> builder)
    {
        builder.Property(l => l.Token).HasMaxLength(64);
        builder.Property(l => l.TokenHash).HasMaxLength(32);
        builder.HasOne(l => l.Conversation).WithMany().HasForeignKey(l => l.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        // A person's links, newest first; the admin's list, newest first.
        builder.HasIndex(l => new { l.OwnerId, l.CreatedAt });
        builder.HasIndex(l => l.CreatedAt);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Prefix).HasMaxLength(32);
        builder.Property(t => t.Hash).HasMaxLength(32);
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.Prefix).IsUnique();
        builder.HasIndex(t => t.UserId);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Target).HasMaxLength(256);
        builder.HasIndex(a => a.At);
    }
}
