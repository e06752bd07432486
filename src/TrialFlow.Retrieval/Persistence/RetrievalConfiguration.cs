using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Trials;
using TrialFlow.Retrieval.Domain;

namespace TrialFlow.Retrieval.Persistence;

internal sealed class PacsConnectionConfiguration : IEntityTypeConfiguration<PacsConnection>
{
    public void Configure(EntityTypeBuilder<PacsConnection> b)
    {
        b.ToTable("PacsConnections");
        b.Property(p => p.AeTitle).HasMaxLength(16);
        b.Property(p => p.Host).HasMaxLength(255);
        b.Property(p => p.OurAeTitle).HasMaxLength(16);
        b.Property(p => p.DicomWebUrl).HasMaxLength(1000);
        b.Property(p => p.DicomWebUser).HasMaxLength(256);
        b.Property(p => p.DicomWebSecret).HasMaxLength(2000);
        b.Ignore(p => p.Endpoint);
        b.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.SiteId).IsUnique();
    }
}

internal sealed class PullJobConfiguration : IEntityTypeConfiguration<PullJob>
{
    public void Configure(EntityTypeBuilder<PullJob> b)
    {
        b.ToTable("PullJobs");
        b.Property(j => j.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        b.Property(j => j.Pacs).HasMaxLength(1000);
        b.Property(j => j.PacsAeTitle).HasMaxLength(16);
        b.Property(j => j.PacsHost).HasMaxLength(255);
        b.Property(j => j.OurAeTitle).HasMaxLength(16);
        b.Property(j => j.DicomWebUrl).HasMaxLength(1000);
        b.Ignore(j => j.Endpoint);
        b.Property(j => j.CohortFileName).HasMaxLength(255);
        b.Property(j => j.CohortSha256).HasMaxLength(64);
        b.Property(j => j.CreatedBy).HasMaxLength(256);
        b.Property(j => j.LeaseOwner).HasMaxLength(128);
        b.HasOne<Site>().WithMany().HasForeignKey(j => j.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(j => j.Items).WithOne().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(j => j.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasIndex(j => new { j.State, j.LeaseUntil });
        b.HasIndex(j => new { j.SiteId, j.CreatedAt });
    }
}

internal sealed class PullItemConfiguration : IEntityTypeConfiguration<PullItem>
{
    public void Configure(EntityTypeBuilder<PullItem> b)
    {
        b.ToTable("PullItems");
        b.Property(i => i.SubjectKey).HasMaxLength(64);
        b.Property(i => i.MatchedBy).HasMaxLength(32);
        b.Property(i => i.PatientKeyHash).HasMaxLength(64);
        b.Property(i => i.Modalities).HasMaxLength(64);
        b.Property(i => i.State).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.Problem).HasMaxLength(1000);
        b.Property(i => i.LastError).HasMaxLength(1000);
        b.Ignore(i => i.ClientReference);
        b.HasIndex(i => new { i.JobId, i.State });
    }
}
