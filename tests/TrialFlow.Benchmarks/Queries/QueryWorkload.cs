using Microsoft.EntityFrameworkCore.Metadata;

namespace TrialFlow.Benchmarks.Queries;

/// <summary>
/// Writes a trial with <c>sites</c> sites in several time zones and <c>perSite</c> queries each, raised over the past
/// year and taken through the real lifecycle methods (a quarter open, some answered or reopened, most resolved or closed).
/// Rows go in with plain prepared INSERTs (no audit chain): the benchmark reads, it does not measure writing.
/// </summary>
internal static class QueryWorkload
{
    private static readonly (string Zone, string Country)[] Zones =
    [
        ("Europe/Berlin", "DE"), ("America/New_York", "US"), ("Asia/Tokyo", "JP"), ("Asia/Jerusalem", "IL"), ("Australia/Sydney", "AU"),
        ("America/Sao_Paulo", "BR"), ("Europe/Paris", "FR"), ("Asia/Kolkata", "IN"), ("America/Los_Angeles", "US"), ("Europe/London", "GB"),
    ];

    public static async Task<List<Guid>> CreateAsync(DatabaseOptions database, int sites, int perSite, DateTime now, CancellationToken cancellationToken)
    {
        var system = Actor.System("benchmark");
        Trial trial;
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, system))
        {
            await db.MigrateAsync(cancellationToken);
            trial = new Trial("TF-BENCH-1", "Benchmark Sponsor", "Query benchmark");
            for (var i = 0; i < sites; i++)
                trial.AddSite($"{101 + i}", $"Site {101 + i}", Zones[i % Zones.Length].Country, Zones[i % Zones.Length].Zone);
            db.Trials.Add(trial);
            await db.SaveChangesAsync(cancellationToken);
        }

        var random = new Random(8);
        var lead = new Actor("u-qc", "Quinn QC-Lead", TrialFlowRoles.QcLead, SiteScope.Unrestricted);
        var categories = Enum.GetValues<QueryCategory>();
        await using var model = DatabaseServiceCollectionExtensions.CreateContext(database, system);
        var entity = model.Model.FindEntityType(typeof(Query))!;
        var columns = entity.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        await using var connection = (SqliteConnection)model.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO Queries ({string.Join(", ", columns.Select(c => c.GetColumnName()))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToList();
        foreach (var site in trial.Sites)
        {
            var calendar = QueryService.CalendarOf(site);
            for (var n = 0; n < perSite; n++)
            {
                var raisedAt = now.AddMinutes(-random.Next(1, 365 * 24 * 60));
                var query = new Query(new QueryDraft(categories[random.Next(categories.Length)], $"Query {n} at site {site.SiteNumber}", "Please check.")
                    { Priority = (QueryPriority)random.Next(3) }, trial.Id, site.Id, lead, raisedAt, calendar, 5);
                var siteUser = new Actor("u-site", "Site", TrialFlowRoles.SiteUser, SiteScope.Of([site.TrialId], [site.Id]));
                var fate = random.NextDouble();
                var at = raisedAt;
                DateTime Later() => at = at.AddHours(random.Next(2, 24 * 10)) is var t && t < now ? t : now;
                if (fate >= 0.25)
                {
                    query.Answer(siteUser, "Done.", Later());
                    if (fate >= 0.35 && fate < 0.40)
                        query.Reopen(lead, "Not enough.", Later(), calendar, 5);
                    else if (fate >= 0.40 && fate < 0.45)
                        query.Cancel(lead, "Not needed.", Later());
                    else if (fate >= 0.45)
                    {
                        query.Resolve(lead, null, Later(), calendar);
                        if (fate >= 0.60)
                            query.Close(lead, null, Later());
                    }
                }
                for (var i = 0; i < columns.Count; i++)
                    parameters[i].Value = ToProvider(columns[i], columns[i].PropertyInfo!.GetValue(query));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);

        var ids = trial.Sites.Select(s => s.Id).ToList();
        await using var check = DatabaseServiceCollectionExtensions.CreateContext(database, system);
        var visible = await check.Queries.CountAsync(q => q.SiteId == ids[0], cancellationToken);
        if (visible != perSite)
            throw new InvalidOperationException($"the raw inserts do not read back through EF ({visible} of {perSite}): a column format differs");
        await check.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        return ids;
    }

    private static object ToProvider(IProperty property, object? value)
    {
        if (value is null)
            return DBNull.Value;
        if (property.GetTypeMapping().Converter is { } converter)
            value = converter.ConvertToProvider(value);
        return value switch
        {
            null => DBNull.Value,
            Guid g => g.ToString().ToUpperInvariant(),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            bool b => b ? 1 : 0,
            _ => value,
        };
    }
}
