using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFlow.Core.Events;

namespace TrialFlow.Core.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("Outbox");
        e.HasKey(x => x.Id);
        e.Property(x => x.Type).HasMaxLength(128);
        // What the dispatcher reads on every pass: the undelivered events, oldest first.
        e.HasIndex(x => new { x.DispatchedAt, x.OccurredAt });
    }
}

internal sealed class OutboxDeliveryConfiguration : IEntityTypeConfiguration<OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<OutboxDelivery> e)
    {
        e.ToTable("OutboxDeliveries");
        // One row per event and handler: a second dispatcher recording the same delivery is refused by the database.
        e.HasKey(x => new { x.EventId, x.Handler });
        e.Property(x => x.Handler).HasMaxLength(128);
        e.Property(x => x.LastError).HasMaxLength(2000);
        e.HasOne<OutboxMessage>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}
