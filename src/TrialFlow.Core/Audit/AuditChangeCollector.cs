using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using TrialFlow.Core.Access;
using TrialFlow.Core.Events;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Audit;

/// <summary>
/// Turns the pending changes of a unit of work into audit events, and enforces, before anything is written,
/// the two rules every change obeys: it stays within the actor's sites, and a submitted record changes only
/// with a reason.
/// </summary>
internal static class AuditChangeCollector
{
    // Secrets and concurrency tokens: recording them would put credentials into an append-only table. Sealed identifiers
    // (a pulled study's UID at the site) stay sealed where they are kept, not copied into the trail.
    private static readonly HashSet<string> NeverRecorded =
        ["PasswordHash", "SecurityStamp", "ConcurrencyStamp", "Value", "DicomWebSecret", "SourceStudySealed"];

    public static List<PendingAuditEvent> Collect(ChangeTracker tracker, Actor actor, string? reason)
    {
        var events = new List<PendingAuditEvent>();
        // A trial created in this unit of work is its creator's to fill (its visit schedule, its review settings), and so
        // is a site added to a trial the actor may see (its AE titles, its checklist): neither is in any scope yet.
        var newTrials = tracker.Entries<Trial>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id).ToHashSet();
        var newSites = tracker.Entries<Site>()
            .Where(e => e.State == EntityState.Added && (actor.Scope.AllowsTrial(e.Entity.TrialId) || newTrials.Contains(e.Entity.TrialId)))
            .Select(e => e.Entity.Id).ToHashSet();
        foreach (var entry in tracker.Entries())
        {
            // The outbox is delivery machinery, not a record change: the state change that raised an event is audited
            // in the same transaction, and auditing every claim, retry and delivery would bury it in noise.
            if (entry.Entity is AuditEvent or OutboxMessage or OutboxDelivery || entry.State is EntityState.Unchanged or EntityState.Detached)
                continue;

            var (type, id) = Describe(entry);
            var siteId = SiteOf(entry);
            if (siteId is { } site && !actor.Scope.Allows(site) && !newSites.Contains(site))
                throw new SiteAccessDeniedException(type, id, site);
            if (siteId is null && entry.Entity is ITrialOwned { TrialId: var trial } && !actor.Scope.AllowsTrial(trial) && !newTrials.Contains(trial))
                throw new TrialAccessDeniedException(type, id, trial);

            switch (entry.State)
            {
                case EntityState.Added:
                    events.Add(new(actor, AuditActions.Create, type, id, siteId, null, Values(entry.Properties, p => p.CurrentValue), reason));
                    break;
                case EntityState.Modified:
                    var changed = entry.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    if (changed.Count == 0)
                        continue;
                    RequireReasonIfSubmitted(entry, actor, reason, type, id);
                    events.Add(new(actor, AuditActions.Update, type, id, siteId,
                        Values(changed, p => p.OriginalValue), Values(changed, p => p.CurrentValue), reason));
                    break;
                case EntityState.Deleted:
                    RequireReasonIfSubmitted(entry, actor, reason, type, id);
                    events.Add(new(actor, AuditActions.Delete, type, id, siteId, Values(entry.Properties, p => p.OriginalValue), null, reason));
                    break;
            }
        }

        return events;
    }

    private static void RequireReasonIfSubmitted(EntityEntry entry, Actor actor, string? reason, string type, string id)
    {
        // Part 11 asks people, not the system's own state transitions, to justify changes to submitted data.
        if (!string.IsNullOrWhiteSpace(reason) || actor.UserId.StartsWith("system:", StringComparison.Ordinal))
            return;
        if (entry.Entity is ISubmittedRecord && entry.OriginalValues.ToObject() is ISubmittedRecord { IsSubmitted: true })
            throw new AuditReasonRequiredException(type, id);
    }

    private static Guid? SiteOf(EntityEntry entry) => entry.Entity switch
    {
        ISiteOwned owned => entry.State == EntityState.Deleted ? (Guid?)entry.OriginalValues[nameof(ISiteOwned.SiteId)] ?? owned.SiteId : owned.SiteId,
        _ => null,
    };

    private static (string Type, string Id) Describe(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        var id = key is null
            ? "?"
            : string.Join('/', key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
        return (EntityName(entry.Metadata.ClrType), id);
    }

    /// <summary>Stable, readable names: "Subject", "User", "UserRole" rather than CLR generic names.</summary>
    internal static string EntityName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0)
            name = name[..tick];
        if (name.StartsWith("Identity", StringComparison.Ordinal))
            name = name["Identity".Length..];
        return name == "TrialFlowUser" ? "User" : name;
    }

    private static string Values(IEnumerable<PropertyEntry> properties, Func<PropertyEntry, object?> value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var p in properties.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
            {
                if (NeverRecorded.Contains(p.Metadata.Name))
                    continue;
                writer.WritePropertyName(p.Metadata.Name);
                AuditValueWriter.Write(writer, value(p));
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
