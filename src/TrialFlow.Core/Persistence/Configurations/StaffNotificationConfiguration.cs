using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class StaffNotificationConfiguration : IEntityTypeConfiguration<StaffNotification>
{
    public void Configure(EntityTypeBuilder<StaffNotification> b)
    {
        b.Property(n => n.RecipientRole).HasMaxLength(64);
        b.Property(n => n.Title).HasMaxLength(200);
        b.Property(n => n.Message).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(256);
        b.HasIndex(n => new { n.RecipientRole, n.CreatedAt });
        b.HasOne<Site>().WithMany().HasForeignKey(n => n.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
