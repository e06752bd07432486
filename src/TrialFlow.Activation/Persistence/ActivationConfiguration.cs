using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Activation.Domain;
using TrialFlow.Core.Trials;

namespace TrialFlow.Activation.Persistence;

internal sealed class ChecklistEntryConfiguration : IEntityTypeConfiguration<ChecklistEntry>
{
    public void Configure(EntityTypeBuilder<ChecklistEntry> b)
    {
        b.ToTable("ChecklistEntries");
        b.Property(e => e.ItemKey).HasMaxLength(64);
        b.Property(e => e.UserName).HasMaxLength(256);
        b.Property(e => e.Evidence).HasMaxLength(2000);
        b.Property(e => e.DoneBy).HasMaxLength(256);
        b.Property(e => e.EvidenceFileName).HasMaxLength(200);
        b.Property(e => e.EvidenceFileSha256).HasMaxLength(64);
        b.Property(e => e.EvidenceFileContentType).HasMaxLength(128);
        b.Ignore(e => e.File);
        b.HasOne<Site>().WithMany().HasForeignKey(e => e.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(e => new { e.SiteId, e.ItemKey });
    }
}
