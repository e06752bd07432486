using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class ImagingStudyConfiguration : IEntityTypeConfiguration<ImagingStudy>
{
    public void Configure(EntityTypeBuilder<ImagingStudy> b)
    {
        b.ToTable("Studies");
        b.Property(s => s.StudyInstanceUid).HasMaxLength(64);
        b.HasIndex(s => s.StudyInstanceUid).IsUnique();
        b.HasIndex(s => new { s.SiteId, s.Status });
        b.Property(s => s.Modalities).HasMaxLength(64);
        b.Property(s => s.Description).HasMaxLength(256);
        b.HasOne<Trial>().WithMany().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Subject>().WithMany().HasForeignKey(s => s.SubjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Visit>().WithMany().HasForeignKey(s => s.VisitId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(s => s.Series).WithOne(s => s.Study).HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(s => s.Series).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ImagingSeriesConfiguration : IEntityTypeConfiguration<ImagingSeries>
{
    public void Configure(EntityTypeBuilder<ImagingSeries> b)
    {
        b.ToTable("Series");
        b.Property(s => s.SeriesInstanceUid).HasMaxLength(64);
        b.HasIndex(s => s.SeriesInstanceUid).IsUnique();
        b.Property(s => s.Modality).HasMaxLength(16);
        b.Property(s => s.Description).HasMaxLength(256);
        b.HasMany(s => s.Instances).WithOne(i => i.Series).HasForeignKey(i => i.SeriesId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(s => s.Instances).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ImagingInstanceConfiguration : IEntityTypeConfiguration<ImagingInstance>
{
    public void Configure(EntityTypeBuilder<ImagingInstance> b)
    {
        b.ToTable("Instances");
        b.Property(i => i.SopInstanceUid).HasMaxLength(64);
        b.HasIndex(i => i.SopInstanceUid).IsUnique();
        b.Property(i => i.SopClassUid).HasMaxLength(64);
        b.Property(i => i.ArchiveSha256).HasMaxLength(64);
        b.HasIndex(i => i.ArchiveSha256);
    }
}
