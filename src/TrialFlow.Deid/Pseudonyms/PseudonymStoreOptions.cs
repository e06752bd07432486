using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Security;

namespace TrialFlow.Deid.Pseudonyms;

/// <summary>
/// Where the pseudonym store lives and its key. From configuration: the data folder and provider of
/// <see cref="DatabaseOptions"/>, <c>ConnectionStrings:TrialFlowPseudonyms</c> (default: SQLite file <c>pseudonyms.db</c>
/// in the data folder; required for PostgreSQL), and the HMAC key from <c>TrialFlow:Pseudonyms:Key</c> (base64) or the
/// key file <c>pseudonym.key</c> in the data folder (created with 32 random bytes on first use).
/// </summary>
public sealed record PseudonymStoreOptions(DatabaseProvider Provider, string ConnectionString, byte[] Key)
{
    public const string KeyFileName = "pseudonym.key";

    public static PseudonymStoreOptions FromConfiguration(IConfiguration configuration)
    {
        var database = DatabaseOptions.FromConfiguration(configuration);
        var connection = configuration.GetConnectionString("TrialFlowPseudonyms");
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = database.Provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(database.DataDirectory, "pseudonyms.db")}"
                : throw new InvalidOperationException(
                    "TrialFlow:Database:Provider is PostgreSQL but ConnectionStrings:TrialFlowPseudonyms is not set: the pseudonym map needs its own database.");
        }
        var key = configuration["TrialFlow:Pseudonyms:Key"] is { Length: > 0 } k
            ? Convert.FromBase64String(k)
            : KeyFile.LoadOrCreate(Path.Combine(database.DataDirectory, KeyFileName));
        if (key.Length < 32) throw new InvalidOperationException("the pseudonym key must be at least 32 bytes");
        return new PseudonymStoreOptions(database.Provider, connection, key);
    }

    public DbContextOptions<PseudonymDbContext> DbContextOptions()
    {
        var builder = new DbContextOptionsBuilder<PseudonymDbContext>();
        if (Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(dataSource)) is { } dir) Directory.CreateDirectory(dir);
            builder.UseSqlite(ConnectionString).AddInterceptors(SqlitePragmas.Instance);
        }
        else
        {
            builder.UseNpgsql(ConnectionString);
        }
        return builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)).Options;
    }
}


/// <summary>Used by <c>dotnet ef migrations add --project src/TrialFlow.Deid</c>.</summary>
internal sealed class PseudonymDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PseudonymDbContext>
{
    public PseudonymDbContext CreateDbContext(string[] args) =>
        new(new PseudonymStoreOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), "pseudonyms-design.db")}", new byte[32]).DbContextOptions());
}
