using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Seeding;

/// <summary>The trial and sites the kernel seeded, for the modules' sections of the same seed file.</summary>
public sealed record SeededTrial(Trial Trial, IReadOnlyDictionary<string, Site> Sites)
{
    /// <summary>The site with this number, or an error that names the seed entry that asked for it.</summary>
    public Site Site(string siteNumber, string where) => TrialSeeder.Lookup(Sites, siteNumber, where);
}

/// <summary>
/// A module's section of a trial seed file (the review pool is Review's), seeded after the kernel's trial, sites,
/// subjects and users, in the same run; the seeder saves after every part has added its records.
/// </summary>
public interface ITrialSeedPart
{
    Task SeedAsync(TrialFlowDbContext db, TrialSeedFile file, SeededTrial trial, CancellationToken cancellationToken);
}
