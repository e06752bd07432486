using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class SubjectConfiguration : IEntityTypeConfiguration<Subject>
{
    public void Configure(EntityTypeBuilder<Subject> b)
    {
        b.Property(s => s.SubjectKey).HasMaxLength(64);
        b.HasIndex(s => new { s.TrialId, s.SubjectKey }).IsUnique();
        b.HasIndex(s => s.SiteId);
        b.HasOne<Trial>().WithMany().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(s => s.Visits).WithOne().HasForeignKey(v => v.SubjectId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(s => s.Visits).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.HasOne(v => v.Definition).WithMany().HasForeignKey(v => v.VisitDefinitionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => new { v.SubjectId, v.VisitDefinitionId }).IsUnique();
        b.HasIndex(v => v.SiteId);
    }
}
