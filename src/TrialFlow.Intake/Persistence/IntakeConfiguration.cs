using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Imaging;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Trials;

namespace TrialFlow.Intake.Persistence;

internal sealed class QuarantineItemConfiguration : IEntityTypeConfiguration<QuarantineItem>
{
    public void Configure(EntityTypeBuilder<QuarantineItem> b)
    {
        b.ToTable("QuarantineItems");
        b.Property(q => q.Detail).HasMaxLength(1024);
        b.Property(q => q.BlobName).HasMaxLength(128);
        b.Property(q => q.Modality).HasMaxLength(16);
        b.Property(q => q.SopClassUid).HasMaxLength(64);
        b.Property(q => q.Resolution).HasMaxLength(1024);
        b.Property(q => q.StudyKey).HasMaxLength(64);
        b.Property(q => q.SeriesKey).HasMaxLength(64);
        b.Property(q => q.PatientIdHint).HasMaxLength(16);
        b.HasIndex(q => new { q.SiteId, q.Status });
        b.HasOne<Trial>().WithMany().HasForeignKey(q => q.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(q => q.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IntakeReceiptConfiguration : IEntityTypeConfiguration<IntakeReceipt>
{
    public void Configure(EntityTypeBuilder<IntakeReceipt> b)
    {
        b.ToTable("IntakeReceipts");
        b.Property(r => r.Reason).HasMaxLength(1024);
        b.Property(r => r.Sender).HasMaxLength(128);
        b.Property(r => r.StagingName).HasMaxLength(128);
        b.Property(r => r.ClientReference).HasMaxLength(64);
        b.HasIndex(r => r.UploadSessionId);
        b.HasIndex(r => r.StagingName).IsUnique();
        b.HasIndex(r => new { r.SiteId, r.ReceivedAt });
        b.HasOne<Site>().WithMany().HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UploadSessionConfiguration : IEntityTypeConfiguration<UploadSession>
{
    public void Configure(EntityTypeBuilder<UploadSession> b)
    {
        b.ToTable("UploadSessions");
        b.Property(u => u.CreatedBy).HasMaxLength(256);
        b.HasIndex(u => new { u.SiteId, u.Status });
        b.HasOne<Site>().WithMany().HasForeignKey(u => u.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Subject>().WithMany().HasForeignKey(u => u.SubjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Visit>().WithMany().HasForeignKey(u => u.VisitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImagingStudyArrivalConfiguration : IEntityTypeConfiguration<ImagingStudy>
{
    // Kept apart from ImagingStudyConfiguration: the stable-study scan is intake's concern.
    public void Configure(EntityTypeBuilder<ImagingStudy> b) => b.HasIndex(s => new { s.Status, s.LastReceivedAt });
}
