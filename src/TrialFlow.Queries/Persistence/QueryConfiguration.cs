using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Core.Trials;

namespace TrialFlow.Queries.Persistence;

internal sealed class QueryConfiguration : IEntityTypeConfiguration<Query>
{
    public void Configure(EntityTypeBuilder<Query> b)
    {
        b.ToTable("Queries");
        b.Property(q => q.Reference).HasMaxLength(16);
        b.HasIndex(q => q.Reference).IsUnique();
        b.Property(q => q.Title).HasMaxLength(200);
        b.Property(q => q.AddressedTo).HasMaxLength(32);
        b.Property(q => q.SeriesInstanceUid).HasMaxLength(64);
        b.Property(q => q.RaisedById).HasMaxLength(450);
        b.Property(q => q.RaisedByName).HasMaxLength(256);
        b.Property(q => q.RaisedByRole).HasMaxLength(32);
        b.Property(q => q.WorkflowKey).HasMaxLength(256);
        b.Property(q => q.WorkflowInstanceId).HasMaxLength(64);
        // A workflow step raises its query once, even when it runs again after a crash.
        b.HasIndex(q => q.WorkflowKey).IsUnique();
        // Inbox: open first, oldest first (the page's exact order, so a page is read off the index), per site or across sites.
        b.HasIndex(q => new { q.SiteId, q.IsOpen, q.RaisedAt, q.Id }).IsDescending(false, true, false, false);
        b.HasIndex(q => new { q.IsOpen, q.RaisedAt, q.Id }).IsDescending(true, false, false);
        // Aging and metrics group by site from covering indexes instead of sorting the table.
        b.HasIndex(q => new { q.IsOpen, q.SiteId, q.RaisedLocalDate });
        b.HasIndex(q => new { q.IsOpen, q.SiteId, q.Status, q.OverdueFrom, q.EscalatedAt });
        b.HasIndex(q => new { q.SiteId, q.Category, q.AnsweredAt, q.ReopenCount });
        b.HasIndex(q => new { q.SiteId, q.BusinessDaysToResolution });
        b.HasIndex(q => q.StudyId);
        b.HasOne<Trial>().WithMany().HasForeignKey(q => q.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(q => q.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(q => q.Messages).WithOne().HasForeignKey(m => m.QueryId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(q => q.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(q => q.Findings).WithOne().HasForeignKey(f => f.QueryId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(q => q.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(q => q.AwaitsAnswer);
    }
}

internal sealed class QueryMessageConfiguration : IEntityTypeConfiguration<QueryMessage>
{
    public void Configure(EntityTypeBuilder<QueryMessage> b)
    {
        b.ToTable("QueryMessages");
        b.Property(m => m.Text).HasMaxLength(8000);
        b.Property(m => m.AuthorId).HasMaxLength(450);
        b.Property(m => m.AuthorName).HasMaxLength(256);
        b.Property(m => m.AuthorRole).HasMaxLength(32);
        b.HasIndex(m => new { m.QueryId, m.Number }).IsUnique();
    }
}

internal sealed class QuerySourceFindingConfiguration : IEntityTypeConfiguration<QuerySourceFinding>
{
    public void Configure(EntityTypeBuilder<QuerySourceFinding> b)
    {
        b.ToTable("QuerySourceFindings");
        b.Property(f => f.RuleId).HasMaxLength(64);
        b.Property(f => f.Severity).HasMaxLength(32);
        b.Property(f => f.Message).HasMaxLength(1024);
        b.Property(f => f.SeriesInstanceUid).HasMaxLength(64);
    }
}

internal sealed class QueryNotificationConfiguration : IEntityTypeConfiguration<QueryNotification>
{
    public void Configure(EntityTypeBuilder<QueryNotification> b)
    {
        b.ToTable("QueryNotifications");
        b.Property(n => n.RecipientRole).HasMaxLength(32);
        b.Property(n => n.Title).HasMaxLength(200);
        b.HasIndex(n => new { n.RecipientRole, n.CreatedAt });
        b.HasOne<Query>().WithMany().HasForeignKey(n => n.QueryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QueryTurnaroundConfiguration : IEntityTypeConfiguration<QueryTurnaround>
{
    public void Configure(EntityTypeBuilder<QueryTurnaround> b)
    {
        b.ToTable("QueryTurnarounds");
        b.HasKey(t => t.TrialId);
        b.Property(t => t.TrialId).ValueGeneratedNever();
        b.HasOne<Trial>().WithMany().HasForeignKey(t => t.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}
