using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Workflows.Persistence;

/// <summary>
/// WorkflowCore's state, the journal, incidents, notifications and definitions, in the TrialFlow database with
/// migrations of their own (history table <c>__WorkflowMigrationsHistory</c>) so Core's migrations stay untouched.
/// </summary>
public sealed class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__WorkflowMigrationsHistory";

    public DbSet<WorkflowInstanceRecord> Instances => Set<WorkflowInstanceRecord>();
    public DbSet<EventSubscriptionRecord> Subscriptions => Set<EventSubscriptionRecord>();
    public DbSet<EventRecord> Events => Set<EventRecord>();
    public DbSet<ExecutionErrorRecord> Errors => Set<ExecutionErrorRecord>();
    public DbSet<JournalEntry> Journal => Set<JournalEntry>();
    public DbSet<WorkflowIncident> Incidents => Set<WorkflowIncident>();
    public DbSet<WorkflowNotification> Notifications => Set<WorkflowNotification>();
    public DbSet<WorkflowDefinitionRecord> Definitions => Set<WorkflowDefinitionRecord>();
    public DbSet<WorkflowVersionRecord> Versions => Set<WorkflowVersionRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<WorkflowInstanceRecord>(e =>
        {
            e.ToTable("WfInstances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.DefinitionId).HasMaxLength(128);
            e.Property(x => x.Reference).HasMaxLength(200);
            e.Property(x => x.Status).HasMaxLength(16);
            e.HasIndex(x => x.Reference).IsUnique();
            // One instance per definition and study; also the index the study's instances are looked up by.
            e.HasIndex(x => new { x.StudyId, x.DefinitionId }).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextExecution });
        });
        b.Entity<EventSubscriptionRecord>(e =>
        {
            e.ToTable("WfSubscriptions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.WorkflowId).HasMaxLength(64);
            e.Property(x => x.ExecutionPointerId).HasMaxLength(64);
            e.Property(x => x.EventName).HasMaxLength(200);
            e.Property(x => x.EventKey).HasMaxLength(200);
            e.HasIndex(x => new { x.EventName, x.EventKey, x.SubscribeAsOf });
            e.HasIndex(x => x.WorkflowId);
        });
        b.Entity<EventRecord>(e =>
        {
            e.ToTable("WfEvents");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.EventName).HasMaxLength(200);
            e.Property(x => x.EventKey).HasMaxLength(200);
            e.HasIndex(x => new { x.EventName, x.EventKey, x.EventTime });
            e.HasIndex(x => new { x.IsProcessed, x.EventTime });
        });
        b.Entity<ExecutionErrorRecord>(e =>
        {
            e.ToTable("WfExecutionErrors");
            e.Property(x => x.WorkflowId).HasMaxLength(64);
            e.Property(x => x.ExecutionPointerId).HasMaxLength(64);
            e.HasIndex(x => x.WorkflowId);
        });
        b.Entity<JournalEntry>(e =>
        {
            e.ToTable("WfJournal");
            e.Property(x => x.InstanceId).HasMaxLength(64);
            e.Property(x => x.ExecutionPointerId).HasMaxLength(64);
            e.Property(x => x.ActivityId).HasMaxLength(128);
            e.Property(x => x.ActivityType).HasMaxLength(128);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(x => x.InstanceId);
        });
        b.Entity<WorkflowIncident>(e =>
        {
            e.ToTable("WfIncidents");
            e.Property(x => x.InstanceId).HasMaxLength(64);
            e.Property(x => x.ExecutionPointerId).HasMaxLength(64);
            e.Property(x => x.ActivityId).HasMaxLength(128);
            e.Property(x => x.ActivityType).HasMaxLength(128);
            e.HasIndex(x => new { x.InstanceId, x.ExecutionPointerId }).IsUnique();
        });
        b.Entity<WorkflowNotification>(e =>
        {
            e.ToTable("WfNotifications");
            e.Property(x => x.IdempotencyKey).HasMaxLength(140);
            e.Property(x => x.Recipient).HasMaxLength(64);
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.InstanceId).HasMaxLength(64);
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => new { x.SiteId, x.Recipient, x.ReadAt });
        });
        b.Entity<WorkflowDefinitionRecord>(e =>
        {
            e.ToTable("WfDefinitions");
            e.HasKey(x => x.DefinitionId);
            e.Property(x => x.DefinitionId).HasMaxLength(128);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.UpdatedBy).HasMaxLength(128);
            e.HasIndex(x => x.TrialId);
        });
        b.Entity<WorkflowVersionRecord>(e =>
        {
            e.ToTable("WfVersions");
            e.HasKey(x => new { x.DefinitionId, x.Version });
            e.Property(x => x.DefinitionId).HasMaxLength(128);
            e.Property(x => x.PublishedBy).HasMaxLength(128);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConversion>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConversion>();
    }
}

/// <summary>Every workflow timestamp is UTC on the way in and out (WorkflowCore's poller passes local time).</summary>
internal sealed class UtcDateTimeConversion() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => WorkflowClock.ToUtc(v),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
