namespace TrialFlow.Core.Trials;

/// <summary>A clinical trial: the protocol whose imaging TrialFlow centralizes.</summary>
public sealed class Trial
{
    private readonly List<Site> _sites = [];
    private readonly List<VisitDefinition> _visitSchedule = [];

    private Trial() { }

    public Trial(string protocolId, string sponsor, string title)
    {
        Id = Guid.NewGuid();
        ProtocolId = Guard.Required(protocolId, nameof(protocolId));
        Sponsor = Guard.Required(sponsor, nameof(sponsor));
        Title = Guard.Required(title, nameof(title));
    }

    public Guid Id { get; private set; }

    /// <summary>The sponsor's protocol identifier, e.g. "ONC-2024-117"; written into (0012,0020).</summary>
    public string ProtocolId { get; private set; } = "";

    public string Sponsor { get; private set; } = "";

    public string Title { get; private set; } = "";

    /// <summary>
    /// The acquisition protocol requirements QC checks this trial against, by the name their file declares (e.g.
    /// "tf-onc-301-imaging-v2"); null: the requirements whose file names this trial's protocol id.
    /// </summary>
    public string? ProtocolRequirements { get; private set; }

    /// <summary>The de-identification profile (rulesets/deid/) of sites that have none of their own; null: the installation's.</summary>
    public string? DeidProfile { get; private set; }

    /// <summary>The activation checklist (templates/activation/) every site completes; null: the one named by the protocol id, else the default.</summary>
    public string? ActivationChecklist { get; private set; }

    /// <summary>The trial template (templates/trials/) it was created from; null for a trial seeded from a file.</summary>
    public string? Template { get; private set; }

    public IReadOnlyList<Site> Sites => _sites;

    /// <summary>What a trial created from a template keeps of it; validated against the catalogs by the caller.</summary>
    public void SetUp(string template, string? protocolRequirements, string? deidProfile, string? activationChecklist)
    {
        Template = Guard.Required(template, nameof(template));
        ProtocolRequirements = string.IsNullOrWhiteSpace(protocolRequirements) ? null : protocolRequirements.Trim();
        DeidProfile = string.IsNullOrWhiteSpace(deidProfile) ? null : deidProfile.Trim();
        ActivationChecklist = string.IsNullOrWhiteSpace(activationChecklist) ? null : activationChecklist.Trim();
    }

    /// <summary>The visits the protocol plans, as the EDC names them.</summary>
    public IReadOnlyList<VisitDefinition> VisitSchedule => _visitSchedule;

    public Site AddSite(string siteNumber, string name, string country, string timeZone)
    {
        var site = new Site(Id, siteNumber, name, country, timeZone);
        _sites.Add(site);
        return site;
    }

    public VisitDefinition AddVisit(string visitKey, string name, int nominalDay, int windowBeforeDays, int windowAfterDays)
    {
        var visit = new VisitDefinition(Id, visitKey, name, nominalDay, windowBeforeDays, windowAfterDays, _visitSchedule.Count + 1);
        _visitSchedule.Add(visit);
        return visit;
    }
}
