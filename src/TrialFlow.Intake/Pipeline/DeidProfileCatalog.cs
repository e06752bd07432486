using TrialFlow.Deid.Profiles;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// The de-identification profiles in force: the trial's and any per-site override. All are loaded at start-up, so a
/// profile that does not load stops the host with its file, line and reason instead of failing on the first study.
/// </summary>
public sealed class DeidProfileCatalog
{
    private readonly DeidProfile _default;
    private readonly Dictionary<string, DeidProfile> _bySite;

    public DeidProfileCatalog(IntakeOptions options)
    {
        _default = DeidProfileLoader.LoadFile(options.DefaultProfile);
        _bySite = options.SiteProfiles.ToDictionary(p => p.Key, p => DeidProfileLoader.LoadFile(p.Value), StringComparer.Ordinal);
    }

    public DeidProfile For(string siteNumber) => _bySite.GetValueOrDefault(siteNumber) ?? _default;
}
