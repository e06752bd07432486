using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Audit;
using TrialFlow.Core.Audit.Anchoring;
using TrialFlow.Core.Events;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Modules;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence;

/// <summary>
/// The one database of TrialFlow. Every save records its audit events in the same transaction, refuses
/// writes outside the actor's sites, and every query of a site-owned record is filtered by those sites.
/// </summary>
public sealed class TrialFlowDbContext : IdentityDbContext<TrialFlowUser, IdentityRole, string>
{
    private readonly IActorAccessor _actor;
    private readonly TimeProvider _time;

    /// <summary>The clock this context stamps with: domain changes made on it take their time from here too.</summary>
    public TimeProvider Time => _time;
    private readonly List<PendingAuditEvent> _explicitEvents = [];
    private readonly OutboxWriter _outbox = new();
    private string? _reason;

    public TrialFlowDbContext(DbContextOptions<TrialFlowDbContext> options, IActorAccessor actor, TimeProvider time, AuditAnchor auditAnchor, OutboxSignal outboxSignal)
        : base(options)
    {
        _actor = actor;
        _time = time;
        AuditAnchor = auditAnchor;
        OutboxSignal = outboxSignal;
    }

    /// <summary>Woken after a save that wrote events commits.</summary>
    internal OutboxSignal OutboxSignal { get; }

    /// <summary>Set while a caller's transaction holds events this context wrote, so its commit wakes the dispatcher.</summary>
    internal bool HasUncommittedEvents { get; set; }

    /// <summary>The key ring that keys this database's audit chain and the checkpoint log that records its head.</summary>
    public AuditAnchor AuditAnchor { get; }

    public DbSet<Trial> Trials => Set<Trial>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteAeTitle> SiteAeTitles => Set<SiteAeTitle>();
    public DbSet<SiteStatusChange> SiteStatusChanges => Set<SiteStatusChange>();
    public DbSet<QualifiedScanner> QualifiedScanners => Set<QualifiedScanner>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<VisitDefinition> VisitDefinitions => Set<VisitDefinition>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<ImagingStudy> Studies => Set<ImagingStudy>();
    public DbSet<ImagingSeries> Series => Set<ImagingSeries>();
    public DbSet<ImagingInstance> Instances => Set<ImagingInstance>();
    public DbSet<SiteMembership> SiteMemberships => Set<SiteMembership>();
    public DbSet<TrialMembership> TrialMemberships => Set<TrialMembership>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<StaffNotification> StaffNotifications => Set<StaffNotification>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<OutboxDelivery> OutboxDeliveries => Set<OutboxDelivery>();

    /// <summary>The actor whose changes this context records.</summary>
    public Actor Actor => _actor.Current;

    // Read by the query filters on every query: EF re-evaluates these members per query, not per model.
    private bool ScopeIsUnrestricted => _actor.Current.Scope.IsUnrestricted;
    private List<Guid> ScopeSiteIds => [.. _actor.Current.Scope.SiteIds];
    private List<Guid> ScopeTrialIds => [.. _actor.Current.Scope.TrialIds];

    /// <summary>
    /// Which model this context uses, fixed when it first builds or fetches its model (see
    /// <see cref="SiteScopedModelCacheKeyFactory"/>). Both are safe if the actor changes later: the restricted model
    /// only ever shows the actor's sites, the unrestricted one still checks the scope on every query.
    /// </summary>
    /// <remarks>
    /// An anonymous actor gets the unrestricted model, whose filter still checks the scope on every query (so it sees
    /// nothing): a context first touched before authentication has finished — Identity validating a cookie's security
    /// stamp through the same scoped context — must not fix the site-restricted model for the trial-wide user the
    /// request turns out to be, who would then see no site at all.
    /// </remarks>
    internal bool SiteRestrictedModel => !ScopeIsUnrestricted && !ReferenceEquals(_actor.Current, Actor.Anonymous);

    /// <summary>Records an event that is not a record change (a sign-in, a download) with the next save.</summary>
    public void RecordEvent(string action, string entityType, string entityId, Guid? siteId = null, string? details = null, Actor? actor = null) =>
        _explicitEvents.Add(new PendingAuditEvent(actor ?? Actor, action, entityType, entityId, siteId, null, details, null));

    /// <summary>
    /// Writes <paramref name="moduleEvent"/> to the outbox with the next save, for events no entity raises itself (an
    /// entity's transition raises its own; see <see cref="IRaisesEvents"/>).
    /// </summary>
    public void Publish(IModuleEvent moduleEvent) => _outbox.Publish(moduleEvent);

    /// <summary>Saves with a reason for the change, which the audit trail stores with every event of this save.</summary>
    public async Task<int> SaveChangesAsync(string reason, CancellationToken cancellationToken = default)
    {
        _reason = string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("A reason must say something.", nameof(reason)) : reason.Trim();
        try
        {
            return await SaveChangesAsync(cancellationToken);
        }
        finally
        {
            _reason = null;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        var wroteEvents = _outbox.Stage(this, _time.GetUtcNow().UtcDateTime);
        int saved;
        try
        {
            saved = await SaveAuditedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            _outbox.Failed(this);
            throw;
        }

        _outbox.Committed(this);
        // Inside a caller's transaction the events are not visible yet: the commit interceptor wakes the dispatcher then.
        if (wroteEvents && Database.CurrentTransaction is null)
            OutboxSignal.Pulse();
        else if (wroteEvents)
            HasUncommittedEvents = true;
        return saved;
    }

    private async Task<int> SaveAuditedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var pending = AuditChangeCollector.Collect(ChangeTracker, Actor, _reason);
        pending.AddRange(_explicitEvents);
        if (pending.Count == 0)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var events = await AuditChainAppender.ChainAsync(this, pending, _time, AuditAnchor.Keys.Current, cancellationToken);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await AuditEventWriter.InsertAsync(this, events, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
                // Only a committed head may be checkpointed; saves inside a caller's transaction are left to the timer.
                AuditAnchor.CheckpointIfDue(events[0].Sequence, events[^1].Sequence, events[^1].Hash, _time);
            }

            _explicitEvents.Clear();
            return saved + events.Count;
        }
        finally
        {
            if (ownTransaction is not null)
                await ownTransaction.DisposeAsync();
        }
    }

    // Identity and EF call the synchronous overload only when a caller does; it runs the same audited path.
    // ASP.NET Core and console hosts have no synchronization context, so blocking here cannot deadlock.
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    protected override void OnConfiguring(DbContextOptionsBuilder options) =>
        options.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, SiteScopedModelCacheKeyFactory>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        foreach (var part in ModelParts.All)
            builder.ApplyConfigurationsFromAssembly(part);

        foreach (var entity in builder.Model.GetEntityTypes().ToList())
        {
            // Domain objects get their ids in their constructors. Telling EF so makes a new child added through a
            // navigation (subject.AddVisit) an insert, not an update of a row that does not exist.
            if (entity.FindPrimaryKey() is { Properties: [{ ClrType: var type, Name: "Id" } id] } && type == typeof(Guid))
                builder.Entity(entity.ClrType).Property(id.Name).ValueGeneratedNever();

            // Enums are stored by name, so a reordered enum or a raw query never misreads a status.
            foreach (var property in entity.GetDeclaredProperties())
                if ((Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) is { IsEnum: true } && property.GetValueConverter() is null && property.GetProviderClrType() is null)
                    builder.Entity(entity.ClrType).Property(property.Name).HasConversion<string>().HasMaxLength(property.GetMaxLength() ?? 32);

            if (SiteFilter.Applies(entity.ClrType) && entity.BaseType is null)
                FilterBy(nameof(FilterBySiteOf), builder, entity.ClrType);
            else if (TrialFilter.Applies(entity.ClrType) && entity.BaseType is null)
                FilterBy(nameof(FilterByTrialOf), builder, entity.ClrType);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    // Every site-owned record is filtered by the actor's sites, every other trial-owned one by the actor's trials;
    // SiteFilter and TrialFilter say which types are and why some are not.
    private void FilterBy(string method, ModelBuilder builder, Type entityType) =>
        GetType().GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(entityType).Invoke(this, [builder]);

    private void FilterBySiteOf<T>(ModelBuilder builder) where T : class
    {
        var column = SiteFilter.ColumnOf(typeof(T));
        if (SiteRestrictedModel)
            builder.Entity<T>().HasQueryFilter(e => ScopeSiteIds.Contains(EF.Property<Guid>(e, column)));
        else
            builder.Entity<T>().HasQueryFilter(e => ScopeIsUnrestricted || ScopeSiteIds.Contains(EF.Property<Guid>(e, column)));
    }

    private void FilterByTrialOf<T>(ModelBuilder builder) where T : class
    {
        var column = TrialFilter.ColumnOf(typeof(T));
        if (SiteRestrictedModel)
            builder.Entity<T>().HasQueryFilter(e => ScopeTrialIds.Contains(EF.Property<Guid>(e, column)));
        else
            builder.Entity<T>().HasQueryFilter(e => ScopeIsUnrestricted || ScopeTrialIds.Contains(EF.Property<Guid>(e, column)));
    }
}
