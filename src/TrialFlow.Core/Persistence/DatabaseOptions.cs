using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Audit.Anchoring;
using TrialFlow.Core.Events;

namespace TrialFlow.Core.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>
/// Where TrialFlow keeps its data. Bound from configuration:
/// <c>TrialFlow:DataDirectory</c> (default <c>./data</c>), <c>TrialFlow:Database:Provider</c> (Sqlite or PostgreSQL)
/// and <c>ConnectionStrings:TrialFlow</c> (required for PostgreSQL; for SQLite it defaults to a file in the data folder).
/// </summary>
public sealed record DatabaseOptions(string DataDirectory, DatabaseProvider Provider, string ConnectionString)
{
    private AuditAnchor? _auditAnchor;

    /// <summary>How the audit chain is keyed and checkpointed (<c>TrialFlow:Audit</c>).</summary>
    public AuditAnchorOptions Audit { get; init; } = AuditAnchorOptions.Default;

    /// <summary>
    /// The audit chain's key ring and checkpoint log for this data folder, shared by every context made from these
    /// options so the ring is read once per process, not per save.
    /// </summary>
    public AuditAnchor AuditAnchor => LazyInitializer.EnsureInitialized(ref _auditAnchor, () => new AuditAnchor(Audit, DataDirectory));

    /// <summary>Wakes this process's outbox dispatcher when a save that wrote events to this database commits.</summary>
    public OutboxSignal Outbox { get; } = new();

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        var dataDirectory = Path.GetFullPath(configuration["TrialFlow:DataDirectory"] is { Length: > 0 } d ? d : "data");
        var providerText = configuration["TrialFlow:Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(providerText)
            ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var p)
                ? p
                : throw new InvalidOperationException(
                    $"TrialFlow:Database:Provider is '{providerText}'; expected Sqlite or PostgreSQL.");
        var connectionString = configuration.GetConnectionString("TrialFlow");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(dataDirectory, "trialflow.db")}"
                : throw new InvalidOperationException(
                    "TrialFlow:Database:Provider is PostgreSQL but ConnectionStrings:TrialFlow is not set " +
                    "(e.g. ConnectionStrings__TrialFlow=\"Host=localhost;Database=trialflow;Username=trialflow;Password=...\").");
        }

        return new DatabaseOptions(dataDirectory, provider, connectionString) { Audit = AuditAnchorOptions.FromConfiguration(configuration) };
    }
}
