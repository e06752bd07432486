using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace TrialFlow.Cli.Tests.Commands;

public sealed class AuditVerifyCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "trialflow-cli-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await using var db = Context();
        await db.MigrateAsync();
        var trial = new Trial("TF-CLI-1", "Sponsor", "CLI test trial");
        var site = trial.AddSite("101", "Site", "DE", "Europe/Berlin");
        db.Trials.Add(trial);
        db.Subjects.Add(new Subject(trial.Id, site.Id, "101-001"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task An_intact_chain_exits_0_and_reports_the_head()
    {
        var (exit, output, _) = await RunAsync("audit", "verify", "--data", _dataDirectory);

        Assert.Equal(0, exit);
        Assert.Contains("audit chain intact: 3 events, head #3", output);
    }

    [Fact]
    public async Task A_tampered_chain_exits_1_and_names_the_first_broken_event()
    {
        await using (var db = Context())
        {
            await db.Database.ExecuteSqlRawAsync("""DROP TRIGGER "AuditEvents_refuse_update";""");
            await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEvents" SET "ActorName" = 'Mallory' WHERE "Sequence" = 3;""");
        }

        var (exit, _, error) = await RunAsync("audit", "verify", "--data", _dataDirectory);

        Assert.Equal(1, exit);
        Assert.Contains("BROKEN at event #3", error);
    }

    [Fact]
    public async Task After_rotating_the_key_new_events_use_it_and_the_chain_still_verifies()
    {
        var (rotated, said, _) = await RunAsync("audit", "rotate-key", "--data", _dataDirectory);
        await using (var db = Context())
        {
            db.RecordEvent("SignIn", "User", "u-1");
            await db.SaveChangesAsync();
        }

        var (exit, output, _) = await RunAsync("audit", "verify", "--data", _dataDirectory);

        Assert.Equal((0, 0), (rotated, exit));
        Assert.Contains("Checkpointed head #3", said);
        Assert.Contains("audit chain intact: 4 events, head #4", output);
        Assert.Contains("verified against the checkpoint of", output);
        await using var check = Context();
        var keyIds = await check.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.KeyId).ToListAsync();
        Assert.Equal(2, keyIds.Distinct().Count());
        Assert.Contains($"audit chain key {keyIds[^1]} is current (was {keyIds[0]})", said);
    }

    [Fact]
    public async Task A_tail_deleted_after_a_checkpoint_exits_1_and_names_the_removed_events()
    {
        await RunAsync("audit", "rotate-key", "--data", _dataDirectory); // checkpoints head #3
        await using (var db = Context())
        {
            await db.Database.ExecuteSqlRawAsync("""DROP TRIGGER "AuditEvents_refuse_delete";""");
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEvents" WHERE "Sequence" = 3;""");
        }

        var (exit, _, error) = await RunAsync("audit", "verify", "--data", _dataDirectory);

        Assert.Equal(1, exit);
        Assert.Contains("the chain ends at #2", error);
        Assert.Contains("events #3…#3 were removed", error);
    }

    [Fact]
    public async Task A_missing_database_is_a_usage_error_that_says_where_it_looked()
    {
        var (exit, _, error) = await RunAsync("audit", "verify", "--data", "/nonexistent/trialflow");

        Assert.Equal(2, exit);
        Assert.Contains("no TrialFlow database in /nonexistent/trialflow", error);
    }

    [Fact]
    public async Task An_unknown_command_lists_the_commands()
    {
        var (exit, _, error) = await RunAsync("frobnicate");

        Assert.Equal(2, exit);
        Assert.Contains("audit verify", error);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandDispatcher.RunAsync(args, new CliConsole(output, error), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private TrialFlowDbContext Context()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = _dataDirectory })
            .Build();
        return DatabaseServiceCollectionExtensions.CreateContext(DatabaseOptions.FromConfiguration(configuration), Actor.System("tests"));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
