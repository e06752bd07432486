using TrialFlow.Core.Trials;
using TrialFlow.Deid.Profiles;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// The de-identification profiles in force: the trial's, every profile beside it (rulesets/deid/, by the name each
/// declares) that a site can be given at onboarding for its data-sharing agreement, and any per-site override from
/// configuration. All are loaded at start-up, so a profile that does not load stops the host with its file, line and
/// reason instead of failing on the first study.
/// </summary>
public sealed class DeidProfileCatalog
{
    private readonly DeidProfile _default;
    private readonly Dictionary<string, DeidProfile> _byName;
    private readonly Dictionary<string, DeidProfile> _bySite;
    private readonly string _folder;

    public DeidProfileCatalog(IntakeOptions options)
    {
        _default = DeidProfileLoader.LoadFile(options.DefaultProfile);
        _folder = Path.GetDirectoryName(Path.GetFullPath(options.DefaultProfile))!;
        _byName = Directory.EnumerateFiles(_folder, "*.yaml").Select(DeidProfileLoader.LoadFile).ToDictionary(p => p.Name, StringComparer.Ordinal);
        _byName[_default.Name] = _default;
        _bySite = options.SiteProfiles.ToDictionary(p => p.Key, p => DeidProfileLoader.LoadFile(p.Value), StringComparer.Ordinal);
    }

    /// <summary>The profiles a site can be given, by name.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The site's own profile (chosen at onboarding), else a configured override for its number, else the trial's default
    /// (chosen when it was created from a template), else the installation's.
    /// </summary>
    public DeidProfile For(Site site, Trial trial)
    {
        if (site.DeidProfile is { } own)
            return Named(own, $"site {site.SiteNumber}");
        if (_bySite.TryGetValue(site.SiteNumber, out var configured))
            return configured;
        return trial.DeidProfile is { } trialDefault ? Named(trialDefault, $"trial {trial.ProtocolId}") : _default;
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    private DeidProfile Named(string name, string whose) => _byName.GetValueOrDefault(name)
        ?? throw new InvalidOperationException($"{whose} is to be de-identified with profile '{name}', which is not among the profiles in {_folder} ({string.Join(", ", Names)})");

    public DeidProfile For(string siteNumber) => _bySite.GetValueOrDefault(siteNumber) ?? _default;
}
