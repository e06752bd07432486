using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Workflows.Persistence;

/// <summary>
/// Opens <see cref="WorkflowDbContext"/>s on the TrialFlow database (same file or server as Core, WAL and busy_timeout
/// on SQLite through Core's <see cref="SqlitePragmas"/>). Contexts come from a pool: the engine opens thousands.
/// </summary>
public sealed class WorkflowStore
{
    private readonly PooledDbContextFactory<WorkflowDbContext> _pool;

    public WorkflowStore(DatabaseOptions database)
    {
        Database = database;
        _writeGate = database.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        Configure(builder, database, null);
        _pool = new PooledDbContextFactory<WorkflowDbContext>(builder.Options);
    }

    public DatabaseOptions Database { get; }

    /// <summary>
    /// Serializes this process's workflow writes on SQLite. SQLite has one writer; when several transactions collide,
    /// its busy handler sleeps in growing steps (up to 100 ms) and the engine's throughput collapses. Queuing in
    /// process first leaves SQLite one writer at a time. A no-op on PostgreSQL.
    /// </summary>
    public async ValueTask<IDisposable> WriteLockAsync(CancellationToken cancellationToken = default)
    {
        if (_writeGate is null)
            return NoLock.Instance;
        await _writeGate.WaitAsync(cancellationToken);
        return new Release(_writeGate);
    }

    private readonly SemaphoreSlim? _writeGate;

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
        }
    }

    private sealed class NoLock : IDisposable
    {
        public static NoLock Instance { get; } = new();

        public void Dispose() { }
    }

    public WorkflowDbContext Context() => _pool.CreateDbContext();

    /// <summary>A context on an open connection, to join a transaction begun by a <see cref="TrialFlowDbContext"/>.</summary>
    public WorkflowDbContext ContextOn(DbConnection connection)
    {
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        Configure(builder, Database, connection);
        return new WorkflowDbContext(builder.Options);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a workflow context in the same transaction as <paramref name="db"/>, so a
    /// workflow record and the audit events of its change commit together; commits at the end.
    /// </summary>
    public async Task InTransactionWithAsync(TrialFlowDbContext db, Func<WorkflowDbContext, Task> work, CancellationToken cancellationToken)
    {
        using var gate = await WriteLockAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var wf = ContextOn(db.Database.GetDbConnection());
        await wf.Database.UseTransactionAsync(transaction.GetDbTransaction(), cancellationToken);
        await work(wf);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Context();
        await db.Database.MigrateAsync(cancellationToken);
    }

    private static void Configure(DbContextOptionsBuilder builder, DatabaseOptions database, DbConnection? connection)
    {
        var assembly = typeof(WorkflowDbContext).Assembly.FullName;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(database.DataDirectory);
            if (connection is null)
                builder.UseSqlite(database.ConnectionString, o => o.MigrationsAssembly(assembly).MigrationsHistoryTable(WorkflowDbContext.MigrationsHistoryTable));
            else
                builder.UseSqlite(connection, o => o.MigrationsAssembly(assembly).MigrationsHistoryTable(WorkflowDbContext.MigrationsHistoryTable));
            builder.AddInterceptors(SqlitePragmas.Instance);
        }
        else if (connection is null)
        {
            builder.UseNpgsql(database.ConnectionString, o => o.MigrationsAssembly(assembly).MigrationsHistoryTable(WorkflowDbContext.MigrationsHistoryTable));
        }
        else
        {
            builder.UseNpgsql(connection, o => o.MigrationsAssembly(assembly).MigrationsHistoryTable(WorkflowDbContext.MigrationsHistoryTable));
        }
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}

/// <summary>Used by <c>dotnet ef migrations add --project src/TrialFlow.Workflows</c>.</summary>
internal sealed class WorkflowDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<WorkflowDbContext>
{
    public WorkflowDbContext CreateDbContext(string[] args) =>
        new WorkflowStore(new DatabaseOptions(Path.GetTempPath(), DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), "workflows-design.db")}")).Context();
}

/// <summary>Time conversions at the engine's edge.</summary>
public static class WorkflowClock
{
    /// <summary>WorkflowCore hands out local times in places (the poller); everything stored is UTC.</summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
