using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TrialFlow.Core.Tests.Persistence;

[Trait("Category", "Postgres")]
public sealed class MigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore.Sqlite")]
    [InlineData("Npgsql.EntityFrameworkCore.PostgreSQL")]
    public async Task The_migrations_carry_no_store_types_of_one_provider(string provider)
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actor.System("tests"));
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Values
            .Select(t => (Migration)Activator.CreateInstance(t)!)
            .Select(m => { m.ActiveProvider = provider; return m; });

        var typed = migrations
            .SelectMany(m => m.UpOperations.OfType<Microsoft.EntityFrameworkCore.Migrations.Operations.CreateTableOperation>())
            .SelectMany(t => t.Columns.Where(c => c.ColumnType is not null).Select(c => $"{t.Name}.{c.Name}: {c.ColumnType}"));

        Assert.Empty(typed);
    }

    [Fact]
    public async Task The_same_migrations_run_on_postgresql_and_the_domain_round_trips()
    {
        // A data folder of its own: the audit chain's key ring and checkpoint log live there.
        var options = new DatabaseOptions(Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N")), DatabaseProvider.PostgreSQL, await postgres.CreateDatabaseAsync());
        await using var database = await TestDatabase.CreateOnAsync(options);

        Guid studyId;
        SmallTrial trial;
        await using (var db = database.Context(Actors.StudyManager))
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            trial = await SmallTrial.SaveAsync(db);
            var study = new ImagingStudy(trial.Trial.Id, trial.Berlin.Id, trial.BerlinSubject.Id, trial.BerlinSubject.Visits[0].Id, "2.25.77", database.Clock.GetUtcNow().UtcDateTime);
            study.Describe(new DateOnly(2026, 3, 2), "CT chest abdomen pelvis");
            study.AddSeries("2.25.77.1", "CT", 3, "Venous").AddInstance("2.25.77.1.1", "1.2.840.10008.5.1.4.1.1.2", 1, new string('0', 64), 524_288, database.Clock.GetUtcNow().UtcDateTime);
            study.Recount();
            db.Studies.Add(study);
            await db.SaveChangesAsync();
            studyId = study.Id;
            trial.BerlinSubject.ChangeStatus(SubjectStatus.Completed);
            await db.SaveChangesAsync("Last visit done");
        }

        await using (var db = database.Context(Actors.SiteUserOf(trial.Berlin)))
        {
            var loaded = await db.Studies.Include(s => s.Series).ThenInclude(s => s.Instances).SingleAsync(s => s.Id == studyId);
            Assert.Equal((new DateOnly(2026, 3, 2), "CT", 1, 1, StudyStatus.Receiving), (loaded.StudyDate, loaded.Modalities, loaded.NumberOfSeries, loaded.NumberOfInstances, loaded.Status));
            Assert.Equal(524_288, loaded.Series[0].Instances[0].ArchiveSize);
            Assert.Equal(database.Clock.GetUtcNow().UtcDateTime, loaded.ReceivedAt);
            Assert.Equal(DateTimeKind.Utc, loaded.ReceivedAt.Kind);
            var site = await db.Sites.Include(s => s.AeTitles).SingleAsync();
            Assert.Equal(("101", "Europe/Berlin", "BERLIN_CT"), (site.SiteNumber, site.TimeZone, site.AeTitles.Single().AeTitle));
            Assert.Equal(SubjectStatus.Completed, (await db.Subjects.SingleAsync()).Status);
            Assert.Equal(3, (await db.VisitDefinitions.Where(v => v.TrialId == trial.Trial.Id).CountAsync()) + 1);
        }

        await using (var db = database.Context(Actors.StudyManager))
        {
            var verification = await AuditChainVerifier.VerifyAsync(db);
            Assert.True(verification.IsIntact, verification.ToString());
            Assert.Equal(await db.AuditEvents.CountAsync(), verification.EventsChecked);
            Assert.Equal("Last visit done", (await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync()).Reason);

            var update = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEvents" SET "Reason" = 'x'"""));
            Assert.Contains("append-only", update.Message);
            var delete = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEvents" """));
            Assert.Contains("append-only", delete.Message);
            var truncate = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""TRUNCATE "AuditEvents" """));
            Assert.Contains("append-only", truncate.Message);
        }
    }
}
