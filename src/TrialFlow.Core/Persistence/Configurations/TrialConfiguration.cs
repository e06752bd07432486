using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class TrialConfiguration : IEntityTypeConfiguration<Trial>
{
    public void Configure(EntityTypeBuilder<Trial> b)
    {
        b.Property(t => t.ProtocolId).HasMaxLength(64);
        b.HasIndex(t => t.ProtocolId).IsUnique();
        b.Property(t => t.ProtocolRequirements).HasMaxLength(128);
        b.Property(t => t.DeidProfile).HasMaxLength(128);
        b.Property(t => t.ActivationChecklist).HasMaxLength(128);
        b.Property(t => t.Template).HasMaxLength(128);
        b.Property(t => t.Sponsor).HasMaxLength(128);
        b.Property(t => t.Title).HasMaxLength(512);
        b.HasMany(t => t.Sites).WithOne().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(t => t.VisitSchedule).WithOne().HasForeignKey(v => v.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(t => t.Sites).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(t => t.VisitSchedule).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.Property(s => s.SiteNumber).HasMaxLength(32);
        b.HasIndex(s => new { s.TrialId, s.SiteNumber }).IsUnique();
        b.Property(s => s.Name).HasMaxLength(256);
        b.Property(s => s.Country).HasMaxLength(2);
        b.Property(s => s.TimeZone).HasMaxLength(64);
        b.HasMany(s => s.AeTitles).WithOne().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(s => s.AeTitles).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.DeidProfile).HasMaxLength(128);
        b.Property(s => s.ClientCertificateSha256).HasMaxLength(64);
        b.HasMany(s => s.StatusChanges).WithOne().HasForeignKey(c => c.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(s => s.StatusChanges).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class SiteStatusChangeConfiguration : IEntityTypeConfiguration<SiteStatusChange>
{
    public void Configure(EntityTypeBuilder<SiteStatusChange> b)
    {
        b.Property(c => c.From).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.To).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Reason).HasMaxLength(1000);
        b.HasIndex(c => new { c.SiteId, c.At });
    }
}

internal sealed class SiteAeTitleConfiguration : IEntityTypeConfiguration<SiteAeTitle>
{
    public void Configure(EntityTypeBuilder<SiteAeTitle> b)
    {
        b.Property(a => a.AeTitle).HasMaxLength(16);
        b.Property(a => a.Networks).HasMaxLength(1024);
        // One AE title names one sender: intake maps a calling AE title to exactly one site.
        b.HasIndex(a => a.AeTitle).IsUnique();
    }
}

internal sealed class VisitDefinitionConfiguration : IEntityTypeConfiguration<VisitDefinition>
{
    public void Configure(EntityTypeBuilder<VisitDefinition> b)
    {
        b.Property(v => v.VisitKey).HasMaxLength(64);
        b.Property(v => v.Name).HasMaxLength(128);
        b.HasIndex(v => new { v.TrialId, v.VisitKey }).IsUnique();
    }
}

internal sealed class QualifiedScannerConfiguration : IEntityTypeConfiguration<QualifiedScanner>
{
    public void Configure(EntityTypeBuilder<QualifiedScanner> b)
    {
        b.ToTable("QualifiedScanners");
        b.Property(q => q.Modality).HasMaxLength(16);
        b.Property(q => q.Manufacturer).HasMaxLength(64);
        b.Property(q => q.Model).HasMaxLength(64);
        b.Property(q => q.StationName).HasMaxLength(64);
        b.Property(q => q.DeviceSerialNumber).HasMaxLength(64);
        b.Property(q => q.SoftwareVersions).HasMaxLength(256);
        b.Property(q => q.SoftwareChangedTo).HasMaxLength(256);
        b.Property(q => q.Protocol).HasMaxLength(128);
        b.Property(q => q.Evidence).HasMaxLength(2000);
        b.Property(q => q.QualifiedBy).HasMaxLength(256);
        b.Ignore(q => q.Label);
        b.HasIndex(q => new { q.SiteId, q.Modality });
        b.HasOne<Trial>().WithMany().HasForeignKey(q => q.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(q => q.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
