using WorkflowCore.Models;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrialFlow.Workflows.Publishing;

namespace TrialFlow.Workflows.Tests.Persistence;

[Trait("Category", "Postgres")]
public sealed class WorkflowMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task The_committed_workflow_migrations_match_the_model_and_carry_no_store_types()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        await using var db = harness.Store.Context();

        Assert.False(db.Database.HasPendingModelChanges(), "The workflow model changed without a migration: dotnet ef migrations add NAME --project src/TrialFlow.Workflows --output-dir Persistence/Migrations, then make-provider-neutral.sh.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        foreach (var provider in new[] { "Microsoft.EntityFrameworkCore.Sqlite", "Npgsql.EntityFrameworkCore.PostgreSQL" })
        {
            var typed = db.GetService<IMigrationsAssembly>().Migrations.Values
                .Select(t => { var m = (Migration)Activator.CreateInstance(t)!; m.ActiveProvider = provider; return m; })
                .SelectMany(m => m.UpOperations.OfType<Microsoft.EntityFrameworkCore.Migrations.Operations.CreateTableOperation>())
                .SelectMany(t => t.Columns.Where(c => c.ColumnType is not null).Select(c => $"{t.Name}.{c.Name}: {c.ColumnType}"));
            Assert.Empty(typed);
        }
    }

    [Fact]
    public async Task On_postgresql_the_tables_migrate_beside_core_and_definitions_and_instances_round_trip()
    {
        var database = new DatabaseOptions(Path.GetTempPath(), DatabaseProvider.PostgreSQL, await postgres.CreateDatabaseAsync());
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        await using (var core = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("tests"), clock))
            await core.MigrateAsync();
        var store = new WorkflowStore(database);
        await store.MigrateAsync();

        var definitions = new WorkflowDefinitions(database, store, new WorkflowValidator(ActivityCatalog.Default), clock);
        await definitions.SaveDraftAsync(WorkflowHarness.ShippedQcGate(), null, WorkflowHarness.StudyManager);
        Assert.Equal(1, await definitions.PublishAsync("qc-gate", "on PostgreSQL", WorkflowHarness.StudyManager));
        var registry = new WorkflowDefinitionRegistry(store, new GraphCompiler(ActivityCatalog.Default));
        Assert.Equal("completed", registry.GetDefinition("qc-gate").Steps.FindById(0).ExternalId);

        var provider = new EfPersistenceProvider(store, new JournalBuffer());
        var due = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        var id = await provider.CreateNewWorkflow(new WorkflowInstance
        {
            WorkflowDefinitionId = "qc-gate", Version = 1, Status = WorkflowStatus.Runnable, CreateTime = due, NextExecution = due.Ticks, Reference = "qc-gate:x",
            Data = new StudyWorkflowData { StudyId = Guid.NewGuid().ToString(), TrialId = Guid.NewGuid().ToString() },
        });
        await provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = due });
        Assert.Equal([id], await provider.GetRunnableInstances(due.ToLocalTime()));
        Assert.Single(await provider.GetEvents("e", "k", due));
        Assert.Empty(await provider.GetEvents("e", "k", due.AddSeconds(1)));
        await Assert.ThrowsAsync<DbUpdateException>(() => provider.CreateNewWorkflow(new WorkflowInstance
        {
            WorkflowDefinitionId = "qc-gate", Version = 1, CreateTime = due, Reference = "qc-gate:x", Data = new StudyWorkflowData(),
        }));
    }
}
