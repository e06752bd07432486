using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Persistence;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Intake;

namespace TrialFlow.Testing;

/// <summary>
/// A temporary data folder as the pipeline harnesses use it: the database options, a migrated pseudonym store, and
/// intake options with a fresh staging key and the trial's default de-identification profile from rulesets/.
/// </summary>
public sealed record PipelineFolder(string DataDirectory, DatabaseOptions Database, IntakeOptions Intake, PseudonymStore Pseudonyms)
{
    /// <param name="area">Names the folder's parent under the temp folder (trialflow-AREA-tests), so leftovers say whose they are.</param>
    public static async Task<PipelineFolder> CreateAsync(string area)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"trialflow-{area}-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = dataDirectory }).Build();
        var pseudonyms = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
        await pseudonyms.MigrateAsync();
        return new PipelineFolder(dataDirectory, DatabaseOptions.FromConfiguration(configuration), Options(dataDirectory), pseudonyms);
    }

    /// <summary>Intake options for <paramref name="dataDirectory"/>: a fresh staging key, the repository's de-identification profiles.</summary>
    public static IntakeOptions Options(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        StagingKey = RandomNumberGenerator.GetBytes(32),
        DefaultProfile = Repository.Path("rulesets", "deid", "trial-default.yaml"),
    };
}
