using Microsoft.AspNetCore.Components;
using TrialFlow.Activation.Domain;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Protocols;
using TrialFlow.Qc.Service;
using TrialFlow.Review.Service;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;

namespace TrialFlow.Web.Trials;

/// <summary>The study manager's form for a trial from a template; <see cref="TrialCreation"/> validates and creates it.</summary>
public partial class NewTrial
{
    private sealed class VisitRow
    {
        public string VisitKey { get; set; } = "";
        public string Name { get; set; } = "";
        public int NominalDay { get; set; }
        public int WindowBeforeDays { get; set; }
        public int WindowAfterDays { get; set; }
    }

    private string? _template;
    private string? _protocolId;
    private string? _sponsor;
    private string? _title;
    private List<VisitRow> _visits = [];
    private string? _requirements;
    private string? _deidProfile;
    private string? _checklist;
    private string? _formTemplate;
    private int _readers = 2;
    private int _dueDays = 10;
    private IReadOnlyCollection<string> _adjudication = [];
    private IReadOnlyCollection<string> _workflows = [];
    private IReadOnlyList<WorkflowDefinitionRecord> _published = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private bool _busy;

    [Inject] private TrialTemplateCatalog Templates { get; set; } = default!;
    [Inject] private ProtocolCatalog Protocols { get; set; } = default!;
    [Inject] private DeidProfileCatalog DeidProfiles { get; set; } = default!;
    [Inject] private ChecklistCatalog Checklists { get; set; } = default!;
    [Inject] private FormTemplateCatalog Forms { get; set; } = default!;
    [Inject] private QcRulesetStore QcRulesets { get; set; } = default!;
    [Inject] private WorkflowDefinitions WorkflowDefinitions { get; set; } = default!;
    [Inject] private TrialCreation Creation { get; set; } = default!;
    [Inject] private CurrentTrial Current { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private TrialTemplate? Chosen => _template is null ? null : Templates.Find(_template);

    protected override async Task OnInitializedAsync()
    {
        var published = new List<WorkflowDefinitionRecord>();
        foreach (var definition in await WorkflowDefinitions.ListAsync())
            if ((await WorkflowDefinitions.VersionsAsync(definition.DefinitionId)).Count > 0)
                published.Add(definition);
        _published = published;
        if (Templates.All.FirstOrDefault() is { } first)
            UseTemplate(first.Id);
    }

    /// <summary>Fills every choice with the template's; the trial's own protocol id, sponsor and title stay as typed.</summary>
    private void UseTemplate(string templateId)
    {
        _template = templateId;
        if (Chosen is not { } template)
            return;
        _visits = template.VisitSchedule.Select(v => new VisitRow
        {
            VisitKey = v.VisitKey, Name = v.Name, NominalDay = v.NominalDay, WindowBeforeDays = v.WindowBeforeDays, WindowAfterDays = v.WindowAfterDays,
        }).ToList();
        _requirements = template.ProtocolRequirements;
        _deidProfile = template.DeidProfile;
        _checklist = template.ActivationChecklist;
        _formTemplate = template.Review?.FormTemplate;
        _readers = template.Review?.ReadersPerTimepoint ?? 2;
        _dueDays = template.Review?.TaskDueDays ?? 10;
        _adjudication = template.Review?.AdjudicationVariables.ToList() ?? [];
        _workflows = template.Workflows.ToList();
    }

    private void AddVisit() =>
        _visits.Add(new VisitRow { NominalDay = (_visits.LastOrDefault()?.NominalDay ?? -42) + 42, WindowBeforeDays = 7, WindowAfterDays = 7 });

    private bool Has(string field) => _errors.ContainsKey(field);

    private async Task CreateAsync()
    {
        _busy = true;
        _errors = new Dictionary<string, string[]>();
        try
        {
            var request = new CreateTrialRequest(
                _template ?? "", _protocolId ?? "", _sponsor ?? "", _title ?? "",
                _visits.Select(v => new VisitPlan(v.VisitKey, v.Name, v.NominalDay, v.WindowBeforeDays, v.WindowAfterDays)).ToList(),
                _requirements, _deidProfile, QcRulesets.RulesetName,
                _formTemplate is null ? null : new ReviewPlan(_formTemplate, _readers, _adjudication.ToList(), _dueDays),
                _checklist, _workflows.ToList());
            var created = await Creation.CreateAsync(request, CancellationToken.None);
            await Current.SelectAsync(created.Id);
            // A new page load: the app bar's switcher and every page now show the new trial, whose sites come next.
            Navigation.NavigateTo("/activation", forceLoad: true);
        }
        catch (TrialSetupException e)
        {
            _errors = e.Errors;
        }
        catch (TrialExistsException e)
        {
            _errors = new Dictionary<string, string[]> { ["protocolId"] = [e.Message] };
        }
        finally
        {
            _busy = false;
        }
    }
}
