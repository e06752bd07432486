using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Seeding;
using TrialFlow.Review.Domain;

namespace TrialFlow.Review.Seeding;

/// <summary>The seed file's review pool: each entry qualifies a seeded user as a reader or adjudicator of the trial.</summary>
internal sealed class ReviewPoolSeedPart : ITrialSeedPart
{
    public async Task SeedAsync(TrialFlowDbContext db, TrialSeedFile file, SeededTrial trial, CancellationToken cancellationToken)
    {
        foreach (var r in file.ReviewPool ?? [])
        {
            var where = $"review pool: user '{r.UserName}'";
            if (!Enum.TryParse<ReviewerRole>(r.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role))
                throw new InvalidDataException($"{where}: unknown role '{r.Role}' (known: {string.Join(", ", Enum.GetNames<ReviewerRole>())}).");
            var userId = await db.Users.Where(u => u.UserName == r.UserName).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidDataException($"{where} is not defined in the seed file.");
            var site = r.AffiliatedSiteNumber is { } number ? trial.Site(number, $"reviewer {r.UserName}").Id : (Guid?)null;
            db.ReaderQualifications.Add(new ReaderQualification(trial.Trial.Id, userId, role, r.TrainingRecord, r.QualifiedOn, site));
        }
    }
}
