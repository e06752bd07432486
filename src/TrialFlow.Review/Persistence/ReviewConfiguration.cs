using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Imaging;
using TrialFlow.Review.Domain;
using TrialFlow.Core.Trials;

namespace TrialFlow.Review.Persistence;

internal sealed class ReviewSettingsConfiguration : IEntityTypeConfiguration<ReviewSettings>
{
    public void Configure(EntityTypeBuilder<ReviewSettings> b)
    {
        b.ToTable("ReviewSettings");
        b.HasIndex(s => s.TrialId).IsUnique();
        b.Property(s => s.FormTemplateId).HasMaxLength(64);
        b.Property(s => s.AdjudicationVariables).HasMaxLength(256);
        b.HasOne<Trial>().WithMany().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReaderQualificationConfiguration : IEntityTypeConfiguration<ReaderQualification>
{
    public void Configure(EntityTypeBuilder<ReaderQualification> b)
    {
        b.ToTable("ReaderQualifications");
        b.Property(q => q.UserId).HasMaxLength(450);
        b.Property(q => q.TrainingRecord).HasMaxLength(1024);
        b.HasIndex(q => new { q.TrialId, q.UserId, q.Role }).IsUnique();
        b.HasOne<Trial>().WithMany().HasForeignKey(q => q.TrialId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReadTaskConfiguration : IEntityTypeConfiguration<ReadTask>
{
    public void Configure(EntityTypeBuilder<ReadTask> b)
    {
        b.ToTable("ReadTasks");
        b.Property(t => t.Timepoint).HasMaxLength(128);
        b.Property(t => t.ReaderUserId).HasMaxLength(450);
        // One task per slot of a timepoint: assigning twice (a workflow step run again) finds the existing tasks.
        b.HasIndex(t => new { t.StudyId, t.Slot }).IsUnique();
        // The worklist: a reader's open tasks, due first.
        b.HasIndex(t => new { t.ReaderUserId, t.Status, t.DueAt });
        b.HasIndex(t => new { t.SubjectId, t.Slot });
        b.HasOne<ImagingStudy>().WithMany().HasForeignKey(t => t.StudyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReadConfiguration : IEntityTypeConfiguration<Read>
{
    public void Configure(EntityTypeBuilder<Read> b)
    {
        b.ToTable("Reads");
        b.Property(r => r.ReaderUserId).HasMaxLength(450);
        b.Property(r => r.FormTemplateId).HasMaxLength(64);
        b.Property(r => r.CorrectionReason).HasMaxLength(1024);
        b.Property(r => r.OverallResponse).HasMaxLength(32);
        b.Property(r => r.BestOverallResponse).HasMaxLength(32);
        b.Property(r => r.DateOfProgression).HasMaxLength(10);
        b.Property(r => r.SumOfDiametersMm).HasPrecision(8, 1);
        b.HasIndex(r => new { r.ReadTaskId, r.Version }).IsUnique();
        b.HasOne<ReadTask>().WithMany().HasForeignKey(r => r.ReadTaskId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ElectronicSignatureConfiguration : IEntityTypeConfiguration<ElectronicSignature>
{
    public void Configure(EntityTypeBuilder<ElectronicSignature> b)
    {
        b.ToTable("ElectronicSignatures");
        b.Property(s => s.RecordType).HasMaxLength(32);
        b.Property(s => s.SignerUserId).HasMaxLength(450);
        b.Property(s => s.SignerName).HasMaxLength(256);
        b.Property(s => s.Meaning).HasMaxLength(256);
        b.Property(s => s.ContentSha256).HasMaxLength(64);
        b.HasIndex(s => new { s.RecordType, s.RecordId });
    }
}

internal sealed class AdjudicationConfiguration : IEntityTypeConfiguration<Domain.Adjudication>
{
    public void Configure(EntityTypeBuilder<Domain.Adjudication> b)
    {
        b.ToTable("Adjudications");
        b.Property(a => a.Differences).HasMaxLength(1024);
        b.Property(a => a.AdjudicatorUserId).HasMaxLength(450);
        b.Property(a => a.Rationale).HasMaxLength(4000);
        // One adjudication per timepoint and pair of reads: a workflow step run again finds it.
        b.HasIndex(a => new { a.StudyId, a.ReadAId, a.ReadBId }).IsUnique();
        b.HasIndex(a => new { a.AdjudicatorUserId, a.Status, a.DueAt });
        b.HasOne<Read>().WithMany().HasForeignKey(a => a.ReadAId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Read>().WithMany().HasForeignKey(a => a.ReadBId).OnDelete(DeleteBehavior.Restrict);
    }
}
