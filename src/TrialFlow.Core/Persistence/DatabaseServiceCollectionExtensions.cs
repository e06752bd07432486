using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Core.Access;
using TrialFlow.Core.Events;

namespace TrialFlow.Core.Persistence;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TrialFlowDbContext"/> (scoped) and a scoped <see cref="IDbContextFactory{TContext}"/>
    /// on SQLite (default) or PostgreSQL, as configured. Both take the actor of the scope; a host that does
    /// not register an <see cref="IActorAccessor"/> acts as nobody (sees no site).
    /// </summary>
    public static IServiceCollection AddTrialFlowDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = DatabaseOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.AddSingleton(options.AuditAnchor);
        services.AddSingleton(options.Outbox);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<IActorAccessor>(_ => new FixedActorAccessor(Actor.Anonymous));
        services.AddSingleton<TrialDirectory>();
        // Scoped factory: Blazor components create short-lived contexts that still carry the circuit's actor.
        services.AddDbContextFactory<TrialFlowDbContext>(builder => Configure(builder, options), ServiceLifetime.Scoped);
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(options.DataDirectory);
            builder.UseSqlite(options.ConnectionString, sqlite => sqlite.MigrationsAssembly(typeof(TrialFlowDbContext).Assembly.FullName))
                .AddInterceptors(SqlitePragmas.Instance);
        }
        else
        {
            builder.UseNpgsql(options.ConnectionString, npgsql => npgsql.MigrationsAssembly(typeof(TrialFlowDbContext).Assembly.FullName));
        }

        builder.AddInterceptors(OutboxCommitSignal.Instance);
        // The migrations are provider-neutral (see Persistence/Migrations/README.md); the snapshot is compared
        // per provider by a test instead of at every start.
        return builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>
    /// A context outside dependency injection (CLI commands, tools, tests), acting as <paramref name="actor"/>.
    /// </summary>
    public static TrialFlowDbContext CreateContext(DatabaseOptions options, Actor actor, TimeProvider? time = null)
    {
        var builder = new DbContextOptionsBuilder<TrialFlowDbContext>();
        Configure(builder, options);
        return new TrialFlowDbContext(builder.Options, new FixedActorAccessor(actor), time ?? TimeProvider.System, options.AuditAnchor, options.Outbox);
    }

    /// <summary>Creates or upgrades the schema to the latest migration.</summary>
    public static Task MigrateAsync(this TrialFlowDbContext context, CancellationToken cancellationToken = default) =>
        context.Database.MigrateAsync(cancellationToken);
}

/// <summary>
/// WAL lets readers run beside the one writer; busy_timeout makes a second writer wait instead of failing;
/// foreign keys are off by default in SQLite. Every SQLite database of TrialFlow opens through it.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(System.Data.Common.DbConnection connection)
    {
        if (connection is not SqliteConnection)
            return;
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
    }
}
