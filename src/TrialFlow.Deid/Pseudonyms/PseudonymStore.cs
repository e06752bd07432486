using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Deid.Engine;

namespace TrialFlow.Deid.Pseudonyms;

/// <summary>
/// The trial-wide pseudonym map: UIDs, per-subject date offsets and patient/study links. Assignment is
/// insert-or-get on a unique index (<c>INSERT ... ON CONFLICT DO NOTHING</c>, then read back), so two processes
/// pseudonymizing the same UID at once both get the one row that won. Safe to share between threads.
/// </summary>
public sealed class PseudonymStore(PseudonymStoreOptions options) : IAsyncDisposable
{
    // Pseudonyms never change once assigned, so a process may remember them.
    private readonly ConcurrentDictionary<string, string> _uidCache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _uidLock = new(1, 1);
    private PseudonymDbContext? _uidContext;
    private readonly ConcurrentDictionary<string, int> _offsetCache = new(StringComparer.Ordinal);
    // Links are never rewritten either: once a (patient, study) → subject link is confirmed, the same question has the same answer.
    private readonly ConcurrentDictionary<(string PatientKey, string StudyKey), string> _confirmedLinks = new();
    private readonly DbContextOptions<PseudonymDbContext> _dbOptions = options.DbContextOptions();

    /// <summary>The key used for <c>hash</c> overrides (derived from the store key, so the store key itself is never handed out).</summary>
    public byte[] HashOverrideKey { get; } = HMACSHA256.HashData(options.Key, "hash-override"u8);

    public PseudonymDbContext CreateContext() => new(_dbOptions);

    public async ValueTask DisposeAsync()
    {
        if (_uidContext is not null) await _uidContext.DisposeAsync();
        _uidContext = null;
        _uidLock.Dispose();
    }

    /// <summary>Creates or upgrades the store's schema.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>The pseudonym of every UID, assigning new ones (2.25.random) as needed.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetOrCreateUidsAsync(IEnumerable<string> sourceUids, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var uid in sourceUids)
        {
            if (_uidCache.TryGetValue(uid, out var cached)) result[uid] = cached;
            else (missing ??= []).Add(uid);
        }
        if (missing is null) return result;

        // The hot path of intake: one open connection, one transaction, two prepared statements per new UID.
        await _uidLock.WaitAsync(cancellationToken);
        try
        {
            var db = _uidContext ??= CreateContext();
            var connection = db.Database.GetDbConnection();
            if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO \"UidPseudonyms\" (\"SourceKey\", \"Uid\") VALUES (@key, @uid) ON CONFLICT (\"SourceKey\") DO NOTHING";
            var insertKey = AddParameter(insert, "@key");
            var insertUid = AddParameter(insert, "@uid");
            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = "SELECT \"Uid\" FROM \"UidPseudonyms\" WHERE \"SourceKey\" = @key";
            var selectKey = AddParameter(select, "@key");
            foreach (var uid in missing)
            {
                var key = Key("uid", uid);
                insertKey.Value = key;
                insertUid.Value = NewUid();
                await insert.ExecuteNonQueryAsync(cancellationToken);
                selectKey.Value = key;
                var pseudonym = (string)(await select.ExecuteScalarAsync(cancellationToken))!;
                result[uid] = pseudonym;
            }
            await transaction.CommitAsync(cancellationToken);
            foreach (var uid in missing) _uidCache[uid] = result[uid];
        }
        catch
        {
            // A broken connection is not reused.
            if (_uidContext is not null) await _uidContext.DisposeAsync();
            _uidContext = null;
            throw;
        }
        finally
        {
            _uidLock.Release();
        }
        return result;
    }

    private static System.Data.Common.DbParameter AddParameter(System.Data.Common.DbCommand command, string name)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        command.Parameters.Add(p);
        return p;
    }

    /// <summary>The subject's date offset in days (random in [-3650, -366], fixed on first use).</summary>
    public async Task<int> GetOrCreateDateOffsetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (_offsetCache.TryGetValue(subjectId, out var cached)) return cached;
        var key = Key("subject", subjectId);
        await using var db = CreateContext();
        var offset = -RandomNumberGenerator.GetInt32(366, 3651);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"SubjectDateOffsets\" (\"SubjectKey\", \"OffsetDays\") VALUES ({key}, {offset}) ON CONFLICT (\"SubjectKey\") DO NOTHING",
            cancellationToken);
        var stored = await db.SubjectDateOffsets.AsNoTracking().Where(s => s.SubjectKey == key).Select(s => s.OffsetDays).SingleAsync(cancellationToken);
        _offsetCache[subjectId] = stored;
        return stored;
    }

    /// <summary>
    /// Records that <paramref name="patientId"/> at <paramref name="siteId"/> is <paramref name="subjectId"/> and that
    /// the study belongs to that patient. Returns a quarantine reason when either contradicts what the store already holds.
    /// </summary>
    public async Task<string?> LinkAsync(string siteId, string patientId, string subjectId, string studyInstanceUid, CancellationToken cancellationToken = default)
    {
        var patientKey = Key("patient", siteId + "\n" + patientId);
        var studyKey = Key("study", studyInstanceUid);
        if (_confirmedLinks.TryGetValue((patientKey, studyKey), out var confirmed) && confirmed == subjectId)
            return null;
        await using var db = CreateContext();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"PatientLinks\" (\"SitePatientKey\", \"SubjectId\") VALUES ({patientKey}, {subjectId}) ON CONFLICT (\"SitePatientKey\") DO NOTHING",
            cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"StudyPatientLinks\" (\"StudyKey\", \"SitePatientKey\") VALUES ({studyKey}, {patientKey}) ON CONFLICT (\"StudyKey\") DO NOTHING",
            cancellationToken);
        var linkedSubject = await db.PatientLinks.AsNoTracking().Where(p => p.SitePatientKey == patientKey).Select(p => p.SubjectId).SingleAsync(cancellationToken);
        if (linkedSubject != subjectId)
            return "this site's Patient ID was matched to a different subject before: re-identification must be resolved by a person";
        var studyPatient = await db.StudyPatientLinks.AsNoTracking().Where(s => s.StudyKey == studyKey).Select(s => s.SitePatientKey).SingleAsync(cancellationToken);
        if (studyPatient != patientKey)
            return "this study was received before with a different Patient ID (or from another site)";
        _confirmedLinks[(patientKey, studyKey)] = subjectId;
        return null;
    }

    /// <summary>
    /// The keyed hash under which a site's Patient ID (an MRN) is kept wherever it must be remembered: the same key the
    /// link table uses, so the MRN itself is never stored.
    /// </summary>
    public string PatientKey(string siteId, string patientId) => Key("patient", siteId + "\n" + patientId);

    /// <summary>The subject a site's Patient ID was linked to before (by <see cref="LinkAsync"/>), or null.</summary>
    public async Task<string?> FindLinkedSubjectAsync(string siteId, string patientId, CancellationToken cancellationToken = default)
    {
        var patientKey = Key("patient", siteId + "\n" + patientId);
        await using var db = CreateContext();
        return await db.PatientLinks.AsNoTracking().Where(p => p.SitePatientKey == patientKey).Select(p => p.SubjectId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// For retrospective cohorts without a subject registry: a random subject pseudonym ("TF-" + 12 random characters)
    /// for a site's Patient ID, the same on every run (kept in the link table under HMAC(site + Patient ID)).
    /// </summary>
    public async Task<string> GetOrCreateSubjectPseudonymAsync(string siteId, string patientId, CancellationToken cancellationToken = default)
    {
        var patientKey = Key("patient", siteId + "\n" + patientId);
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var candidate = "TF-" + RandomNumberGenerator.GetString(alphabet, 12);
        await using var db = CreateContext();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"PatientLinks\" (\"SitePatientKey\", \"SubjectId\") VALUES ({patientKey}, {candidate}) ON CONFLICT (\"SitePatientKey\") DO NOTHING",
            cancellationToken);
        return await db.PatientLinks.AsNoTracking().Where(p => p.SitePatientKey == patientKey).Select(p => p.SubjectId).SingleAsync(cancellationToken);
    }

    /// <summary>A UID map for the engine over the given pseudonyms.</summary>
    public static IUidMap Map(IReadOnlyDictionary<string, string> pseudonyms) => new DictionaryUidMap(pseudonyms);

    private string Key(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(options.Key, Encoding.UTF8.GetBytes(kind + "\n" + value)));

    /// <summary>PS3.5 B.2: "2.25." + a random 128-bit unsigned integer; never derived from the source UID or patient data.</summary>
    public static string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
