using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Imaging;
using TrialFlow.Qc.Domain;
using TrialFlow.Core.Trials;

namespace TrialFlow.Qc.Persistence;

internal sealed class QcRulesetVersionConfiguration : IEntityTypeConfiguration<QcRulesetVersion>
{
    public void Configure(EntityTypeBuilder<QcRulesetVersion> b)
    {
        b.ToTable("QcRulesetVersions");
        b.Property(v => v.RulesetName).HasMaxLength(64);
        b.HasIndex(v => new { v.RulesetName, v.Number }).IsUnique();
        b.Property(v => v.ContentSha256).HasMaxLength(64);
        b.Property(v => v.PublishedBy).HasMaxLength(256);
        b.Property(v => v.Reason).HasMaxLength(1024);
    }
}

internal sealed class QcResultConfiguration : IEntityTypeConfiguration<QcResult>
{
    public void Configure(EntityTypeBuilder<QcResult> b)
    {
        b.ToTable("QcResults");
        b.Property(r => r.RulesetName).HasMaxLength(64);
        b.Property(r => r.RulesetSha256).HasMaxLength(64);
        b.Property(r => r.ProtocolName).HasMaxLength(128);
        b.Property(r => r.ProtocolSha256).HasMaxLength(64);
        b.Property(r => r.Trigger).HasMaxLength(32);
        b.Property(r => r.ImagesSha256).HasMaxLength(64);
        // Idempotence: one result per study, ruleset version, protocol version and set of images, however often QC is asked to run.
        b.HasIndex(r => new { r.StudyId, r.RulesetVersionId, r.ProtocolSha256, r.ImagesSha256 }).IsUnique();
        b.HasIndex(r => new { r.SiteId, r.RanAt });
        b.HasOne<ImagingStudy>().WithMany().HasForeignKey(r => r.StudyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<QcRulesetVersion>().WithMany().HasForeignKey(r => r.RulesetVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Findings).WithOne().HasForeignKey(f => f.ResultId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(r => r.Findings).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class QcFindingConfiguration : IEntityTypeConfiguration<QcFinding>
{
    public void Configure(EntityTypeBuilder<QcFinding> b)
    {
        b.ToTable("QcFindings");
        b.Property(f => f.RuleId).HasMaxLength(64);
        b.Property(f => f.Message).HasMaxLength(1024);
        b.Property(f => f.SeriesInstanceUid).HasMaxLength(64);
        b.HasIndex(f => new { f.SiteId, f.RuleId });
    }
}
