using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Audit;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.HasKey(e => e.Sequence);
        // The application assigns sequences in chain order; the database must not invent them.
        b.Property(e => e.Sequence).ValueGeneratedNever();
        b.Property(e => e.ActorId).HasMaxLength(128);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.ActorRole).HasMaxLength(32);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.EntityType).HasMaxLength(64);
        b.Property(e => e.EntityId).HasMaxLength(128);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.Property(e => e.KeyId).HasMaxLength(16);
        b.HasIndex(e => new { e.EntityType, e.EntityId });
        b.HasIndex(e => e.SiteId);
    }
}

internal sealed class SiteMembershipConfiguration : IEntityTypeConfiguration<SiteMembership>
{
    public void Configure(EntityTypeBuilder<SiteMembership> b)
    {
        b.HasKey(m => new { m.UserId, m.SiteId });
        b.HasOne<TrialFlowUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TrialMembershipConfiguration : IEntityTypeConfiguration<TrialMembership>
{
    public void Configure(EntityTypeBuilder<TrialMembership> b)
    {
        b.HasKey(m => new { m.UserId, m.TrialId });
        b.HasIndex(m => m.TrialId);
        b.HasOne<TrialFlowUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Trial>().WithMany().HasForeignKey(m => m.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TrialFlowUserConfiguration : IEntityTypeConfiguration<TrialFlowUser>
{
    public void Configure(EntityTypeBuilder<TrialFlowUser> b) => b.Property(u => u.DisplayName).HasMaxLength(256);
}
