using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Core.Seeding;

/// <summary>The shape of a trial seed file such as <c>templates/demo/demo-trial.json</c>.</summary>
public sealed record TrialSeedFile(
    TrialSeed Trial,
    IReadOnlyList<VisitSeed> VisitSchedule,
    IReadOnlyList<SiteSeed> Sites,
    IReadOnlyList<SubjectSeed> Subjects,
    IReadOnlyList<UserSeed> Users,
    IReadOnlyList<ReviewerSeed>? ReviewPool = null,
    IReadOnlyList<ChecklistSeed>? Activation = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static TrialSeedFile Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<TrialSeedFile>(stream, Json)
                ?? throw new InvalidDataException($"{path}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }
}

public sealed record TrialSeed(string ProtocolId, string Sponsor, string Title);

public sealed record VisitSeed(string VisitKey, string Name, int NominalDay, int WindowBeforeDays, int WindowAfterDays);

/// <param name="SenderNetworks">Networks (CIDR) the site's AE titles may connect from; none means this machine only.</param>
/// <param name="Status">Where the site is in its lifecycle; Active when not given (a site the trial already receives from).</param>
/// <param name="QualifiedScanners">Scanners qualified before the site came to TrialFlow; once a site has any, images from others are held.</param>
public sealed record SiteSeed(string SiteNumber, string Name, string Country, string TimeZone, IReadOnlyList<string>? AeTitles, IReadOnlyList<string>? SenderNetworks = null,
    Trials.SiteStatus? Status = null, IReadOnlyList<ScannerSeed>? QualifiedScanners = null);

/// <summary>A scanner a site had qualified when the file was written.</summary>
public sealed record ScannerSeed(string Modality, string Manufacturer, string Model, string? DeviceSerialNumber = null);

public sealed record SubjectSeed(string SubjectKey, string SiteNumber, Trials.SubjectStatus Status, IReadOnlyDictionary<string, DateOnly>? Visits);

public sealed record UserSeed(string UserName, string DisplayName, string Role, IReadOnlyList<string>? Sites);

/// <summary>A member of the central review's pool: a seeded user, their role in the review and their training record.</summary>
public sealed record ReviewerSeed(string UserName, string Role, string TrainingRecord, DateOnly QualifiedOn, string? AffiliatedSiteNumber = null);

/// <summary>An activation checklist item a site had done when the file was written (the demo's Harbourside is half-way).</summary>
/// <param name="UserName">For per-user items (training): the seeded site user it is for.</param>
public sealed record ChecklistSeed(string SiteNumber, string Item, string Evidence, string? UserName = null);
