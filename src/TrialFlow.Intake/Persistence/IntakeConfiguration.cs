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
        b.Property(u => u.Purpose).HasConversion<string>().HasMaxLength(16);
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

internal sealed class QualificationScanConfiguration : IEntityTypeConfiguration<QualificationScan>
{
    public void Configure(EntityTypeBuilder<QualificationScan> b)
    {
        b.ToTable("QualificationScans");
        b.Property(q => q.StudyInstanceUid).HasMaxLength(64);
        b.HasIndex(q => new { q.SiteId, q.StudyInstanceUid }).IsUnique();
        b.HasIndex(q => new { q.Status, q.LastReceivedAt });
        b.Property(q => q.Modality).HasMaxLength(16);
        b.Property(q => q.Manufacturer).HasMaxLength(64);
        b.Property(q => q.Model).HasMaxLength(64);
        b.Property(q => q.StationName).HasMaxLength(64);
        b.Property(q => q.DeviceSerialNumber).HasMaxLength(64);
        b.Property(q => q.SoftwareVersions).HasMaxLength(256);
        b.Property(q => q.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(q => q.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(q => q.Outcome).HasMaxLength(32);
        b.Property(q => q.EvaluatedWith).HasMaxLength(512);
        b.Property(q => q.Findings).HasMaxLength(8000);
        b.Ignore(q => q.Scanner);
        b.HasMany(q => q.Images).WithOne().HasForeignKey(i => i.ScanId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(q => q.Images).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasOne<Trial>().WithMany().HasForeignKey(q => q.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(q => q.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QualificationImageConfiguration : IEntityTypeConfiguration<QualificationImage>
{
    public void Configure(EntityTypeBuilder<QualificationImage> b)
    {
        b.ToTable("QualificationImages");
        b.Property(i => i.SeriesInstanceUid).HasMaxLength(64);
        b.Property(i => i.SeriesDescription).HasMaxLength(128);
        b.Property(i => i.Modality).HasMaxLength(16);
        b.Property(i => i.SopInstanceUid).HasMaxLength(64);
        b.Property(i => i.SopClassUid).HasMaxLength(64);
        b.Property(i => i.ArchiveSha256).HasMaxLength(64);
        b.HasIndex(i => new { i.ScanId, i.SopInstanceUid }).IsUnique();
    }
}
