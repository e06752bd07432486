namespace TrialFlow.Core.Tests.Audit;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task Every_change_writes_an_event_and_the_chain_verifies_after_a_realistic_sequence()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actors.StudyManager))
        {
            var trial = await SmallTrial.SaveAsync(db);

            database.Clock.Advance(TimeSpan.FromHours(2));
            var study = new ImagingStudy(trial.Trial.Id, trial.Berlin.Id, trial.BerlinSubject.Id, trial.BerlinSubject.Visits[0].Id, "2.25.1001", database.Clock.GetUtcNow().UtcDateTime);
            var series = study.AddSeries("2.25.1002", "CT", 2, "Portal venous");
            for (var i = 1; i <= 5; i++)
                series.AddInstance($"2.25.1002.{i}", "1.2.840.10008.5.1.4.1.1.2", i, new string('a', 63) + i, 40_000, database.Clock.GetUtcNow().UtcDateTime);
            study.Recount();
            db.Studies.Add(study);
            await db.SaveChangesAsync();

            study.MarkComplete(database.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();

            trial.ParisSubject.ChangeStatus(SubjectStatus.ScreenFailed);
            await db.SaveChangesAsync();

            trial.BerlinSubject.ChangeStatus(SubjectStatus.Withdrawn);
            await db.SaveChangesAsync("Subject withdrew consent on 2026-06-01");
        }

        await using var check = database.Context(Actors.StudyManager);
        var events = await check.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        var verification = await AuditChainVerifier.VerifyAsync(check);

        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(events.Count, verification.EventsChecked);
        Assert.Equal(events[^1].Hash, verification.LastHash);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(5, events.Count(e => e is { EntityType: "ImagingInstance", Action: "Create" }));

        var withdrawal = Assert.Single(events, e => e.Action == "Update" && e.NewValues!.Contains("Withdrawn"));
        Assert.Equal("Subject withdrew consent on 2026-06-01", withdrawal.Reason);
        Assert.Equal("""{"Status":"Enrolled"}""", withdrawal.OldValues);
        Assert.Equal("""{"Status":"Withdrawn"}""", withdrawal.NewValues);
        Assert.Equal("u-sm", withdrawal.ActorId);
        Assert.Equal("Sam Study-Manager", withdrawal.ActorName);
        Assert.Equal("StudyManager", withdrawal.ActorRole);
        Assert.NotNull(withdrawal.SiteId);
        Assert.Equal(DateTimeKind.Utc, withdrawal.OccurredAt.Kind);
        Assert.Equal(new DateTime(2026, 6, 1, 11, 30, 0, DateTimeKind.Utc), withdrawal.OccurredAt);
    }

    [Fact]
    public async Task Changing_a_submitted_record_without_a_reason_is_refused_and_nothing_is_saved()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actors.DataManager);
        var trial = await SmallTrial.SaveAsync(db);
        var before = await db.AuditEvents.CountAsync();

        trial.BerlinSubject.ChangeStatus(SubjectStatus.Completed);
        var refused = await Assert.ThrowsAsync<AuditReasonRequiredException>(() => db.SaveChangesAsync());

        Assert.Equal("Subject", refused.EntityType);
        Assert.Equal(trial.BerlinSubject.Id.ToString(), refused.EntityId);
        await using var fresh = database.Context(Actors.DataManager);
        Assert.Equal(before, await fresh.AuditEvents.CountAsync());
        Assert.Equal(SubjectStatus.Enrolled, (await fresh.Subjects.SingleAsync(s => s.Id == trial.BerlinSubject.Id)).Status);
    }

    [Fact]
    public async Task Direct_tampering_with_a_stored_event_is_named_by_its_sequence()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actors.StudyManager))
            await SmallTrial.SaveAsync(db);
        long target;
        await using (var db = database.Context(Actors.StudyManager))
            target = await db.AuditEvents.Where(e => e.EntityType == "Subject").MinAsync(e => e.Sequence);

        // An intruder with the database file drops the guard and edits history.
        await database.ExecuteRawAsync("""DROP TRIGGER "AuditEvents_refuse_update";""");
        await database.ExecuteRawAsync($"""UPDATE "AuditEvents" SET "ActorName" = 'Someone Else' WHERE "Sequence" = {target};""");

        await using var check = database.Context(Actors.StudyManager);
        var verification = await AuditChainVerifier.VerifyAsync(check);

        Assert.False(verification.IsIntact);
        Assert.Equal(target, verification.BrokenAt);
        Assert.Contains("altered", verification.Problem);
        Assert.Equal(target - 1, verification.LastSequence);
    }

    [Fact]
    public async Task A_deleted_event_is_detected_as_a_gap_at_its_sequence()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actors.StudyManager))
            await SmallTrial.SaveAsync(db);

        await database.ExecuteRawAsync("""DROP TRIGGER "AuditEvents_refuse_delete";""");
        await database.ExecuteRawAsync("""DELETE FROM "AuditEvents" WHERE "Sequence" = 3;""");

        await using var check = database.Context(Actors.StudyManager);
        var verification = await AuditChainVerifier.VerifyAsync(check);

        Assert.Equal(4, verification.BrokenAt);
        Assert.Contains("#3..#3 are missing", verification.Problem);
    }

    [Theory]
    [InlineData("""UPDATE "AuditEvents" SET "Reason" = 'backdated' WHERE "Sequence" = 1;""", "UPDATE refused")]
    [InlineData("""DELETE FROM "AuditEvents" WHERE "Sequence" = 1;""", "DELETE refused")]
    public async Task The_database_refuses_update_and_delete_on_the_audit_table(string sql, string message)
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actors.StudyManager))
            await SmallTrial.SaveAsync(db);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteRawAsync(sql));

        Assert.Contains(message, refused.Message);
        await using var check = database.Context(Actors.StudyManager);
        Assert.True((await AuditChainVerifier.VerifyAsync(check)).IsIntact);
    }

    [Fact]
    public async Task Explicit_events_join_the_chain_with_the_next_save()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var db = database.Context(Actors.StudyManager);
        db.RecordEvent(AuditActions.SignIn, "User", "u-sm", details: """{"ip":"127.0.0.1"}""");
        await db.SaveChangesAsync();

        var e = await db.AuditEvents.SingleAsync();
        Assert.Equal((1L, "SignIn", "User", "u-sm", AuditEvent.GenesisHash), (e.Sequence, e.Action, e.EntityType, e.EntityId, e.PreviousHash));
        Assert.Equal(db.AuditAnchor.Keys.Current.Id, e.KeyId);
        Assert.Equal(AuditHasher.Compute(e, db.AuditAnchor.Keys.Current), e.Hash);
        Assert.NotEqual(AuditHasher.Compute(e), e.Hash);
    }

    [Fact]
    public void The_hash_changes_when_any_field_changes()
    {
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string Hash(string actor = "a", string? reason = null, string? newValues = "{}", long sequence = 1) =>
            AuditHasher.Compute(sequence, at, actor, "n", "r", null, "Update", "Subject", "1", null, newValues, reason, AuditEvent.GenesisHash);

        var baseline = Hash();
        Assert.NotEqual(baseline, Hash(actor: "b"));
        Assert.NotEqual(baseline, Hash(reason: ""));
        Assert.NotEqual(baseline, Hash(newValues: null));
        Assert.NotEqual(baseline, Hash(sequence: 2));
        Assert.Equal(baseline, Hash());
    }
}
