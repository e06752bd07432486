using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Seeding;

/// <summary>A user the seeder created, with the password generated for them (shown once, never stored in clear).</summary>
public sealed record SeededCredential(string UserName, string Role, string Password);

/// <summary>
/// Loads a trial seed file into an empty database: the trial, its sites and schedule, subjects and their
/// visits, the roles, and one user per entry with a freshly generated password. Does nothing when the trial
/// already exists, so it is safe at every start.
/// </summary>
public sealed class TrialSeeder(TrialFlowDbContext db, UserManager<TrialFlowUser> users, RoleManager<IdentityRole> roles, IEnumerable<ITrialSeedPart> parts)
{
    public async Task<IReadOnlyList<SeededCredential>> SeedAsync(TrialSeedFile file, CancellationToken cancellationToken = default)
    {
        await EnsureRolesAsync();
        if (await db.Trials.AnyAsync(t => t.ProtocolId == file.Trial.ProtocolId, cancellationToken))
            return [];

        var trial = new Trial(file.Trial.ProtocolId, file.Trial.Sponsor, file.Trial.Title);
        var schedule = file.VisitSchedule.ToDictionary(
            v => v.VisitKey,
            v => trial.AddVisit(v.VisitKey, v.Name, v.NominalDay, v.WindowBeforeDays, v.WindowAfterDays));
        var sites = new Dictionary<string, Site>();
        foreach (var s in file.Sites)
        {
            var site = trial.AddSite(s.SiteNumber, s.Name, s.Country, s.TimeZone);
            site.WalkTo(s.Status ?? SiteStatus.Active, "as described by the trial's seed file", db.Time.GetUtcNow().UtcDateTime);
            foreach (var ae in s.AeTitles ?? [])
                site.AllowAeTitle(ae, s.SenderNetworks ?? []);
            foreach (var scanner in s.QualifiedScanners ?? [])
                db.QualifiedScanners.Add(new QualifiedScanner(trial.Id, site.Id, new ScannerIdentity(scanner.Modality, scanner.Manufacturer, scanner.Model, null, scanner.DeviceSerialNumber, null),
                    "(seed file)", "qualified before the site came to TrialFlow, as listed in the trial's seed file", db.Actor.UserName, db.Time.GetUtcNow().UtcDateTime, null));
            sites.Add(s.SiteNumber, site);
        }

        db.Trials.Add(trial);
        foreach (var s in file.Subjects)
        {
            var site = Lookup(sites, s.SiteNumber, $"subject {s.SubjectKey}");
            var subject = new Subject(trial.Id, site.Id, s.SubjectKey, s.Status);
            foreach (var (visitKey, date) in s.Visits ?? new Dictionary<string, DateOnly>())
                subject.AddVisit(Lookup(schedule, visitKey, $"subject {s.SubjectKey}"), date);
            db.Subjects.Add(subject);
        }

        await db.SaveChangesAsync(cancellationToken);

        var credentials = new List<SeededCredential>();
        foreach (var u in file.Users)
        {
            if (!TrialFlowRoles.IsKnown(u.Role))
                throw new InvalidDataException($"user {u.UserName}: unknown role '{u.Role}' (known: {string.Join(", ", TrialFlowRoles.All)}).");
            var password = GeneratePassword();
            var user = new TrialFlowUser { UserName = u.UserName, DisplayName = u.DisplayName, Email = $"{u.UserName}@demo.trialflow.invalid", EmailConfirmed = true };
            Check(await users.CreateAsync(user, password), u.UserName);
            Check(await users.AddToRoleAsync(user, u.Role), u.UserName);
            // Every user the file names works on the trial it seeds (administrators see every trial without).
            db.TrialMemberships.Add(new TrialMembership(user.Id, trial.Id));
            foreach (var siteNumber in u.Sites ?? [])
                db.SiteMemberships.Add(new SiteMembership(user.Id, Lookup(sites, siteNumber, $"user {u.UserName}").Id));
            credentials.Add(new SeededCredential(u.UserName, u.Role, password));
        }

        // The modules' sections of the file (the review pool…), after the users they name exist.
        var seeded = new SeededTrial(trial, sites);
        foreach (var part in parts)
            await part.SeedAsync(db, file, seeded, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        return credentials;
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in TrialFlowRoles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
    }

    /// <summary>20 characters from an alphabet without look-alikes, plus one of each class Identity requires.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var body = RandomNumberGenerator.GetString(alphabet, 20);
        return $"{body}-{RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 1)}{RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 1)}{RandomNumberGenerator.GetString("23456789", 1)}";
    }

    internal static T Lookup<T>(IReadOnlyDictionary<string, T> map, string key, string where) =>
        map.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{where}: '{key}' is not defined in the seed file.");

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
